"""Settle orders left awaiting payment against the gateway, once, now.

The scheduler runs the same service every minute (the `checkout.reconcile_payments` task); this command is for
an operator or a cron-only deployment.
"""

from django.core.management.base import BaseCommand

from storefront.checkout import reconciler


class Command(BaseCommand):
    help = "Settle orders awaiting payment past their grace period against the gateway."

    def handle(self, *args, **options) -> None:
        count = reconciler.run()
        self.stdout.write(f"Settled {count} order(s).")
