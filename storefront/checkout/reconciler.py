"""The reconciler: no order waits for payment forever, and no charge goes without a paid order or a refund.

An order awaiting payment past its `reconcile_after` (the grace a paying request gets, or the 30 minutes a
wallet page stays open, or a backoff while a provider does not answer) is settled against the gateway by its
idempotency key: charged -> paid; declined -> failed; no charge and nothing left to resume -> expired with its
stock back (exactly once); no answer -> asked again later, with backoff. Money that arrives for an order closed
meanwhile is refunded by `payments`; an order closed here as uncharged is looked up once more LATE_CHECK
later, so a charge from a request that stalled past the grace and then died still finds its refund. It runs on
a schedule (the task queue) and when the shopper opens the order or its confirmation page.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_noop

from . import lifecycle, payments
from .gateways import is_redirect_gateway
from .gateways.base import PaymentError
from .models import Order, OrderEvent, Payment
from .said import Said

Source = OrderEvent.Source
BATCH = 200
# After closing an order as uncharged, look once more this much later: a paying request stalled past the grace
# (a paused worker, a slow provider) may still have charged before it died, and nobody else would refund that.
LATE_CHECK = timedelta(minutes=10)


def due(now: datetime | None = None):
    """Orders awaiting payment whose time to be asked about has come, oldest first."""
    now = now or timezone.now()
    return (
        Order.objects.filter(status=Order.Status.PENDING_PAYMENT)
        .filter(
            Q(reconcile_after__lte=now)
            | Q(reconcile_after__isnull=True, placed_at__lte=now - lifecycle.payment_grace())
        )
        .order_by("reconcile_after", "pk")
    )


def run(*, now: datetime | None = None) -> int:
    """Settle every order that is due; returns how many left `pending_payment`."""
    settled = 0
    for order in due(now)[:BATCH]:
        settled += settle(order, now=now).status != Order.Status.PENDING_PAYMENT
    late = Order.objects.filter(status=Order.Status.EXPIRED, reconcile_after__lte=now or timezone.now())
    for order in late.order_by("reconcile_after", "pk")[:BATCH]:
        check_late_charge(order, now=now)
    return settled


def check_late_charge(order: Order, *, now: datetime | None = None) -> None:
    """A second look at an order closed as uncharged: a charge found now is refunded (the order stays shut)."""
    try:
        payments.refund_late_charge(order)
    except PaymentError:
        lifecycle.schedule_check(
            order, after=payments.backoff(order.reconcile_tries), now=now, status=Order.Status.EXPIRED
        )
        return
    Order.objects.filter(pk=order.pk).update(reconcile_after=None)


def settle(order: Order, *, now: datetime | None = None) -> Order:
    """Ask the gateway how the order's current payment attempt ended and move the order by the answer."""
    if order.status != Order.Status.PENDING_PAYMENT:
        return order
    key = payments.charge_key(order)
    payment = order.payments.filter(idempotency_key=key).first()
    if payment is not None and is_redirect_gateway(payment.gateway):
        order = payments.settle_redirect(order, now=now, source=Source.RECONCILER)
        return order
    tries = order.reconcile_tries
    order = payments.reconcile(order, source=Source.RECONCILER, close_if_missing=False)
    if order.status != Order.Status.PENDING_PAYMENT or order.reconcile_tries > tries:
        return order  # settled, or the provider did not answer and is asked again after the backoff
    # No charge at the gateway for this attempt: the request paying it never got there (a killed process, a
    # dropped connection) and no shopper is waiting on it any more. Close it; a late charge would be refunded.
    message = Said(
        gettext_noop("We could not confirm a payment for this order, so we closed it. Nothing was charged.")
    )
    if payment is not None:
        Payment.objects.filter(pk=payment.pk, status=Payment.Status.UNKNOWN).update(
            status=Payment.Status.CANCELLED, message=message.for_log()[:250]
        )
    order, moved = lifecycle.try_move(
        order, "expire", source=Source.RECONCILER, now=now, **lifecycle.ended_unpaid(message)
    )
    if moved:
        lifecycle.schedule_check(order, after=LATE_CHECK, now=now, status=Order.Status.EXPIRED)
    return order


def settle_if_due(order: Order, *, now: datetime | None = None) -> Order:
    """The check on read (order and confirmation pages): settle an order whose time has come, or whose last
    question to the gateway went unanswered; never one whose payment may still be in flight."""
    if order.status != Order.Status.PENDING_PAYMENT:
        return order
    now = now or timezone.now()
    if (
        order.reconcile_tries
        or (order.reconcile_after is not None and order.reconcile_after <= now)
        or (order.reconcile_after is None and order.placed_at <= now - lifecycle.payment_grace())
    ):
        try:
            return settle(order, now=now)
        except PaymentError:
            return order
    return order
