"""Taking payment for a placed order and reconciling the gateway's answer with the order's status.

The gateway is called outside any database transaction, with an idempotency key derived from the order, so a
retry or a second worker can never charge twice. A timeout is reconciled by asking the gateway what happened.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .gateways import get_gateway
from .gateways.base import ChargeRequest, ChargeResult, GatewayTimeout, PaymentDeclined, PaymentError
from .models import Order, Payment
from .placement import release_stock

log = logging.getLogger(__name__)


def charge_key(order: Order) -> str:
    return f"order-{order.number}-charge"


def collect(order: Order, token: str) -> Order:
    """Charge the order's total to a gateway token and settle the order: paid, or failed with stock released."""
    if order.status != Order.Status.PENDING_PAYMENT:
        return order  # already settled by an earlier attempt with the same key
    gateway = get_gateway()
    key = charge_key(order)
    request = ChargeRequest(token=token, amount=order.total, currency=order.currency, idempotency_key=key,
                            description=f"Order {order.number}")
    try:
        result = gateway.charge(request)
    except PaymentDeclined as exc:
        return _fail(order, gateway.name, key, exc.customer_message, Payment.Status.DECLINED)
    except GatewayTimeout:
        return reconcile(order)
    except PaymentError as exc:
        return _fail(order, gateway.name, key, exc.customer_message, Payment.Status.DECLINED)
    if not result.succeeded:  # a provider replaying an earlier decline as a plain answer: still a decline
        message = result.message or _("Your card was declined. You have not been charged. Try another card.")
        return _fail(order, gateway.name, key, message, Payment.Status.DECLINED)
    return _succeed(order, gateway.name, key, result)


def reconcile(order: Order) -> Order:
    """After a timeout (or from a periodic job): ask the gateway what happened to this order's charge."""
    gateway = get_gateway()
    key = charge_key(order)
    try:
        result = gateway.lookup(key)
    except PaymentError:
        log.warning("Payment status for order %s still unknown", order.number)
        Payment.objects.update_or_create(idempotency_key=key, defaults={
            "order": order, "gateway": gateway.name, "amount": order.total, "currency": order.currency,
            "status": Payment.Status.UNKNOWN})
        return order
    if result is not None and result.succeeded:
        return _succeed(order, gateway.name, key, result)
    return _fail(order, gateway.name, key,
                 _("The payment service did not answer in time. You have not been charged. Please try again."),
                 Payment.Status.DECLINED)


def _succeed(order: Order, gateway: str, key: str, result: ChargeResult) -> Order:
    with transaction.atomic():
        Payment.objects.update_or_create(idempotency_key=key, defaults={
            "order": order, "gateway": gateway, "amount": result.amount, "currency": result.currency,
            "status": Payment.Status.SUCCEEDED, "reference": result.reference})
        Order.objects.filter(pk=order.pk, status=Order.Status.PENDING_PAYMENT).update(
            status=Order.Status.PAID, paid_at=timezone.now())
    order.refresh_from_db()
    return order


def _fail(order: Order, gateway: str, key: str, message: str, status: str) -> Order:
    Payment.objects.update_or_create(idempotency_key=key, defaults={
        "order": order, "gateway": gateway, "amount": order.total, "currency": order.currency,
        "status": status, "message": message[:250]})
    release_stock(order)
    Order.objects.filter(pk=order.pk, status=Order.Status.PENDING_PAYMENT).update(
        status=Order.Status.PAYMENT_FAILED, failure_message=message[:250])
    order.refresh_from_db()
    return order


def refund(order: Order, reason: str = "cancel") -> bool:
    """Refund an order's successful charge in full (idempotent per order and reason)."""
    charge = order.payments.filter(kind=Payment.Kind.CHARGE, status=Payment.Status.SUCCEEDED).first()
    if charge is None:
        return False
    gateway = get_gateway(charge.gateway)
    key = f"order-{order.number}-refund-{reason}"
    result = gateway.refund(charge.reference, charge.amount, charge.currency, key)
    Payment.objects.update_or_create(idempotency_key=key, defaults={
        "order": order, "kind": Payment.Kind.REFUND, "gateway": gateway.name, "amount": result.amount,
        "currency": result.currency, "status": Payment.Status.SUCCEEDED, "reference": result.reference})
    return True
