"""Settle every order whose payment was cut short (a killed process, a dropped connection, a provider that did
not answer): a thin wrapper around `checkout.reconciler.run`, which the task queue also runs every minute."""

from django.core.management.base import BaseCommand

from storefront.checkout import reconciler


class Command(BaseCommand):
    help = "Ask the payment gateways how unfinished payments ended and settle their orders."

    def handle(self, *args, **options) -> None:
        count = reconciler.run()
        self.stdout.write(f"Settled {count} order(s).")
