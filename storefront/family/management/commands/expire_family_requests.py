"""Expire family payment requests nobody answered within 48 hours, releasing their reserved stock.

The scheduler runs the same service every 15 minutes (the `family.expire_requests` task); this command is for an
operator or a cron-only deployment. Pages also expire a due request whenever they read it.
"""

from django.core.management.base import BaseCommand

from storefront.family import services


class Command(BaseCommand):
    help = "Expire pending family payment requests older than 48 hours and release their stock."

    def handle(self, *args, **options) -> None:
        count = services.expire_due()
        self.stdout.write(f"Expired {count} family payment request(s).")
