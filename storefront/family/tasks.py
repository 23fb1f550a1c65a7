"""Family payment's scheduled task: expire requests nobody answered within 48 hours (stock back on sale).

Idempotent (each request is expired under its row lock, once); scheduled in settings.CELERY_BEAT_SCHEDULE.
"""

from __future__ import annotations

from celery import shared_task


@shared_task(name="family.expire_requests")
def expire_requests() -> int:
    from storefront.family import services

    return services.expire_due()
