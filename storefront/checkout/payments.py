"""Taking payment for a placed order and reconciling the gateway's answer with the order's status.

The gateway is called outside any database transaction, with an idempotency key derived from the order, so a
retry or a second worker can never charge twice. A timeout is reconciled by asking the gateway what happened.

Redirect methods (Alipay, Kakao Pay...): `begin_redirect` starts the payment and returns the provider's page;
when the shopper comes back, `settle_redirect` asks the provider (never the browser) how it ended and settles the
order once. A payment still open after REDIRECT_TIMEOUT is closed at the provider and the order cancelled.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from storefront.markets import payment_methods
from storefront.markets.payment_methods import PaymentMethod

from .gateways import gateway_named, get_gateway, get_redirect_gateway, is_redirect_gateway
from .gateways.base import (ChargeRequest, ChargeResult, GatewayTimeout, Outcome, PaymentDeclined, PaymentError,
                            RedirectResult)
from .models import Order, Payment
from .placement import release_stock

REDIRECT_TIMEOUT = timedelta(minutes=30)

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
    if redirect_payment(order) is not None:
        return settle_redirect(order)
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


def _succeed(order: Order, gateway: str, key: str, result: ChargeResult | RedirectResult) -> Order:
    with transaction.atomic():
        Payment.objects.update_or_create(idempotency_key=key, defaults={
            "order": order, "gateway": gateway, "amount": result.amount, "currency": result.currency,
            "status": Payment.Status.SUCCEEDED, "reference": result.reference})
        Order.objects.filter(pk=order.pk, status=Order.Status.PENDING_PAYMENT).update(
            status=Order.Status.PAID, paid_at=timezone.now())
    order.refresh_from_db()
    return order


def _fail(order: Order, gateway: str, key: str, message: str, status: str) -> Order:
    return _close(order, gateway, key, message, status, status=Order.Status.PAYMENT_FAILED)


def _close(order: Order, gateway: str, key: str, message: str, payment_status: str, **order_fields) -> Order:
    """Record an unpaid end (declined, cancelled...) and put the stock back, with the order's new status and
    fields set only if it was still waiting for payment."""
    with transaction.atomic():  # seen together: a settled payment always comes with its settled order
        Payment.objects.update_or_create(idempotency_key=key, defaults={
            "order": order, "gateway": gateway, "amount": order.total, "currency": order.currency,
            "status": payment_status, "message": message[:250]})
        release_stock(order)
        Order.objects.filter(pk=order.pk, status=Order.Status.PENDING_PAYMENT).update(
            failure_message=message[:250], **order_fields)
    order.refresh_from_db()
    return order


def refund(order: Order, reason: str = "cancel") -> bool:
    """Refund an order's successful charge in full (idempotent per order and reason)."""
    charge = order.payments.filter(kind=Payment.Kind.CHARGE, status=Payment.Status.SUCCEEDED).first()
    if charge is None:
        return False
    gateway = gateway_named(charge.gateway)  # the gateway that took the money gives it back
    key = f"order-{order.number}-refund-{reason}"
    result = gateway.refund(charge.reference, charge.amount, charge.currency, key)
    Payment.objects.update_or_create(idempotency_key=key, defaults={
        "order": order, "kind": Payment.Kind.REFUND, "gateway": gateway.name, "amount": result.amount,
        "currency": result.currency, "status": Payment.Status.SUCCEEDED, "reference": result.reference})
    return True


# --- redirect methods ------------------------------------------------------------------------------------

def begin_redirect(order: Order, method: PaymentMethod, return_url: str) -> str:
    """Start paying for a placed order with a redirect method; returns the provider page to send the shopper to,
    or "" when the provider refused at once (the order is then failed, its stock released). Idempotent."""
    gateway = get_redirect_gateway(method.gateway)
    key = charge_key(order)
    # Recorded before the call: whatever happens next, the order says "ask this gateway about this key".
    Payment.objects.get_or_create(idempotency_key=key, defaults={
        "order": order, "gateway": gateway.name, "method": method.code, "amount": order.total,
        "currency": order.currency, "status": Payment.Status.UNKNOWN})
    # The provider shows this to the shopper on its page: in the shopper's language (the request's, active now).
    request = ChargeRequest(token="", amount=order.total, currency=order.currency, idempotency_key=key,
                            description=_("Order %(number)s") % {"number": order.number})
    try:
        start = gateway.begin(request, method.code, return_url)
    except PaymentError as exc:
        _fail(order, gateway.name, key, exc.customer_message, Payment.Status.DECLINED)
        return ""
    Payment.objects.filter(idempotency_key=key).update(reference=start.reference, redirect_url=start.url)
    return start.url


def method_name(payment: Payment) -> str:
    """The redirect method's name in the current language ("Alipay", "카카오페이"...)."""
    method = payment_methods.get(payment.method)
    return str(method.name) if method is not None else payment.order.payment_method_label or payment.gateway


def settle_redirect(order: Order, *, close: bool = False, now: datetime | None = None) -> Order:
    """Ask the provider how this order's redirect payment ended and settle the order once.

    Still pending: the order waits, unless the payment started more than REDIRECT_TIMEOUT ago or the shopper
    asked to stop (`close`); then it is closed at the provider (so it can no longer be confirmed) and the order
    cancelled, stock back on the shelf. A payment confirmed a moment before it was closed still counts.
    """
    payment = redirect_payment(order)
    if payment is None:
        return order
    if payment.status != Payment.Status.UNKNOWN:  # settled already (perhaps a moment ago, by another request)
        order.refresh_from_db()
        return order
    gateway = get_redirect_gateway(payment.gateway)
    key = payment.idempotency_key
    expired = (now or timezone.now()) - payment.created_at >= REDIRECT_TIMEOUT
    try:
        result = gateway.lookup(key)
        if (expired or close) and (result is None or result.outcome is Outcome.PENDING):
            result = gateway.cancel(key)
    except PaymentError:
        log.warning("Redirect payment for order %s: provider did not answer", order.number)
        return order
    method = method_name(payment)
    if result is not None and result.outcome is Outcome.SUCCEEDED:
        order = _succeed(order, gateway.name, key, result)
        if order.status == Order.Status.CANCELLED:  # paid after the order was cancelled: give the money back
            refund(order, reason="late-payment")
        return order
    if result is not None and result.outcome is Outcome.DECLINED:
        message = _("%(method)s declined the payment. You have not been charged. Choose another way to pay.")
        return _fail(order, gateway.name, key, message % {"method": method}, Payment.Status.DECLINED)
    if close or (result is not None and result.outcome is Outcome.CANCELLED and not expired):
        return _cancel(order, gateway.name, key,
                       _("You cancelled the payment in %(method)s. Nothing was charged.") % {"method": method})
    if expired:  # closed by us, or never reached the provider at all
        return _cancel(order, gateway.name, key,
                       _("The payment in %(method)s was not finished within 30 minutes, so we cancelled the "
                         "order. Nothing was charged.") % {"method": method})
    return order  # pending: the shopper has not finished on the provider's page yet


def expire_abandoned_redirects(*, user=None, now: datetime | None = None) -> int:
    """Settle every redirect payment left open past REDIRECT_TIMEOUT (all of them, for a periodic job, or one
    shopper's, when they come back to pay). Returns how many orders it cancelled."""
    now = now or timezone.now()
    due = Order.objects.filter(
        status=Order.Status.PENDING_PAYMENT, payments__kind=Payment.Kind.CHARGE,
        payments__status=Payment.Status.UNKNOWN, payments__created_at__lte=now - REDIRECT_TIMEOUT).distinct()
    if user is not None:
        due = due.filter(user=user)
    cancelled = 0
    for order in due:
        if redirect_payment(order) is not None:
            cancelled += settle_redirect(order, now=now).status == Order.Status.CANCELLED
    return cancelled


def redirect_payment(order: Order) -> Payment | None:
    """The order's charge through a redirect gateway, whatever its status (None for a card order)."""
    payment = order.payments.filter(kind=Payment.Kind.CHARGE, idempotency_key=charge_key(order)).first()
    return payment if payment is not None and is_redirect_gateway(payment.gateway) else None


def _cancel(order: Order, gateway: str, key: str, message: str) -> Order:
    return _close(order, gateway, key, message, Payment.Status.CANCELLED, status=Order.Status.CANCELLED,
                  cancelled_at=timezone.now())
