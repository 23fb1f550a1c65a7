"""Close wallet payments (Alipay, Kakao Pay...) a shopper left unfinished for 30 minutes: the provider is told to
stop, the order is cancelled and its stock goes back on sale.

The scheduler runs the same service every 5 minutes (the `checkout.expire_abandoned_payments` task); this command
is for an operator or a cron-only deployment. A shopper coming back also settles their own at once.
"""

from django.core.management.base import BaseCommand

from storefront.checkout import payments


class Command(BaseCommand):
    help = "Cancel orders whose wallet payment was left unfinished for 30 minutes and release their stock."

    def handle(self, *args, **options) -> None:
        count = payments.expire_abandoned_redirects()
        self.stdout.write(f"Cancelled {count} abandoned wallet payment(s).")
