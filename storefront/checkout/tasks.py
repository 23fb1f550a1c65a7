"""Checkout's scheduled tasks: reconcile payments and refunds, close abandoned wallet payments, recount
bought-together.

Bodies only call services, which lock rows and are idempotent, so a task run twice (a retry, a redelivery
after a worker was lost, two schedulers by mistake) settles each order once. Scheduled in
settings.CELERY_BEAT_SCHEDULE.
"""

from __future__ import annotations

from celery import shared_task


@shared_task(name="checkout.reconcile_payments")
def reconcile_payments() -> int:
    from storefront.checkout import reconciler

    return reconciler.run()


@shared_task(name="checkout.expire_abandoned_payments")
def expire_abandoned_payments() -> int:
    from storefront.checkout import payments

    return payments.expire_abandoned_redirects()


@shared_task(name="checkout.reconcile_refunds")
def reconcile_refunds() -> int:
    from storefront.checkout import refunds

    return refunds.run()


@shared_task(name="checkout.compute_bought_together")
def compute_bought_together() -> int:
    from storefront.checkout import bought_together

    return bought_together.rebuild()
