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
from typing import cast

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from storefront.markets import payment_methods
from storefront.markets.payment_methods import PaymentMethod

from . import lifecycle
from .gateways import gateway_named, get_gateway, get_redirect_gateway, is_redirect_gateway
from .gateways.base import (
    ChargeRequest,
    ChargeResult,
    GatewayTimeout,
    Outcome,
    PaymentDeclined,
    PaymentError,
    RedirectGateway,
    RedirectResult,
)
from .models import Order, OrderEvent, Payment
from .said import Said
from .said import method as method_param

REDIRECT_TIMEOUT = timedelta(minutes=30)

log = logging.getLogger(__name__)


Source = OrderEvent.Source


def charge_key(order: Order) -> str:
    """The idempotency key of the order's current payment attempt (a new one when the shopper switches method)."""
    base = f"order-{order.number}-charge"
    return base if order.payment_attempt <= 1 else f"{base}-{order.payment_attempt}"


def collect(order: Order, token: str) -> Order:
    """Charge the order's total to a gateway token and settle the order: paid, or failed with stock released.

    Safe to call again for the same order (a resent form, a second tab): the gateway sees the same key and
    replays its first answer. The payment row is written before the call, so an attempt cut short by a killed
    process is still known to the reconciler."""
    if order.status != Order.Status.PENDING_PAYMENT:
        return order  # already settled by an earlier attempt with the same key
    gateway = get_gateway()
    key = charge_key(order)
    Payment.objects.get_or_create(
        idempotency_key=key,
        defaults={
            "order": order,
            "gateway": gateway.name,
            "amount": order.total,
            "currency": order.currency,
            "status": Payment.Status.UNKNOWN,
        },
    )
    Order.objects.filter(pk=order.pk).update(reconcile_after=timezone.now() + lifecycle.payment_grace())
    request = ChargeRequest(
        token=token,
        amount=order.total,
        currency=order.currency,
        idempotency_key=key,
        description=f"Order {order.number}",
    )
    try:
        result = gateway.charge(request)
    except PaymentDeclined as exc:
        return _fail(order, gateway.name, key, exc.said, Payment.Status.DECLINED)
    except GatewayTimeout:
        return reconcile(order)
    except PaymentError as exc:
        return _fail(order, gateway.name, key, exc.said, Payment.Status.DECLINED)
    if not result.succeeded:  # a provider replaying an earlier decline as a plain answer: still a decline
        return _fail(order, gateway.name, key, _declined(result.message), Payment.Status.DECLINED)
    return _succeed(order, gateway.name, key, result)


def reconcile(order: Order, *, source: str = Source.GATEWAY, close_if_missing: bool = True) -> Order:
    """Ask the gateway what happened to the order's current charge and settle the order by its answer.

    Charged: paid. Declined: failed. No charge there (the paying request never reached it, or it timed out
    before charging): the order is failed with its stock back, or, with `close_if_missing` off, left waiting.
    No answer: the order waits and is asked again later, with backoff."""
    if order.status != Order.Status.PENDING_PAYMENT:
        return order
    if redirect_payment(order) is not None:
        return settle_redirect(order, source=source)
    payment = order.payments.filter(idempotency_key=charge_key(order)).first()
    gateway = get_gateway(payment.gateway if payment is not None else None)
    key = charge_key(order)
    try:
        result = gateway.lookup(key)
    except PaymentError:
        log.warning("Payment status for order %s still unknown", order.number)
        Payment.objects.update_or_create(
            idempotency_key=key,
            defaults={
                "order": order,
                "gateway": gateway.name,
                "amount": order.total,
                "currency": order.currency,
                "status": Payment.Status.UNKNOWN,
            },
        )
        lifecycle.schedule_check(order, after=backoff(order.reconcile_tries))
        return order
    if result is not None and result.succeeded:
        return _succeed(order, gateway.name, key, result, source=source)
    if result is not None:
        return _fail(
            order, gateway.name, key, _declined(result.message), Payment.Status.DECLINED, source=source
        )
    if not close_if_missing:
        return order
    return _fail(
        order,
        gateway.name,
        key,
        Said(
            gettext_noop(
                "The payment service did not answer in time. You have not been charged. Please try again."
            )
        ),
        Payment.Status.DECLINED,
        source=source,
    )


def refund_late_charge(order: Order) -> bool:
    """For an order closed unpaid: ask the card gateway whether its last attempt charged after all (a request
    that stalled past the grace, then died); if so, record it and give it back. Raises PaymentError when the
    gateway does not answer."""
    key = charge_key(order)
    payment = order.payments.filter(idempotency_key=key).first()
    if order.status not in lifecycle.UNPAID_ENDS:
        return False
    if payment is not None and is_redirect_gateway(payment.gateway):
        return False  # a wallet payment is closed at the provider before its order is: it cannot land late
    gateway = get_gateway(payment.gateway if payment is not None else None)
    result = gateway.lookup(key)
    if result is None or not result.succeeded:
        return False
    _succeed(order, gateway.name, key, result, source=Source.RECONCILER)  # refunds: the order is closed
    return True


def backoff(tries: int) -> timedelta:
    """1, 2, 4... minutes between questions to a provider that does not answer, at most an hour."""
    return timedelta(minutes=min(2**tries, 60))


def _succeed(
    order: Order,
    gateway: str,
    key: str,
    result: ChargeResult | RedirectResult,
    *,
    source: str = Source.GATEWAY,
) -> Order:
    with transaction.atomic():
        payment, _new = Payment.objects.update_or_create(
            idempotency_key=key,
            defaults={
                "order": order,
                "gateway": gateway,
                "amount": result.amount,
                "currency": result.currency,
                "status": Payment.Status.SUCCEEDED,
                "reference": result.reference,
            },
        )
        order, _moved = lifecycle.try_move(order, "pay", source=source)
    first = (
        order.payments.filter(kind=Payment.Kind.CHARGE, status=Payment.Status.SUCCEEDED)
        .order_by("pk")
        .first()
    )
    if order.status in lifecycle.UNPAID_ENDS or (first is not None and first.pk != payment.pk):
        # Money for an order that was closed meanwhile, or a second charge for a paid order: give it back.
        refund_charge(payment)
    return order


def _declined(provider_message: str) -> Said:
    """A decline the provider answered with: its own words as written, or the shop's."""
    if provider_message:
        return Said.verbatim(provider_message)
    return Said(gettext_noop("Your card was declined. You have not been charged. Try another card."))


def _fail(
    order: Order, gateway: str, key: str, message: Said, status: str, *, source: str = Source.GATEWAY
) -> Order:
    with transaction.atomic():  # seen together: a settled payment always comes with its settled order
        _record_unpaid(order, gateway, key, message.for_log(), status)
        order, _moved = lifecycle.try_move(
            order, "fail_payment", source=source, **lifecycle.ended_unpaid(message)
        )
    return order


def _record_unpaid(order: Order, gateway: str, key: str, message: str, status: str) -> None:
    Payment.objects.update_or_create(
        idempotency_key=key,
        defaults={
            "order": order,
            "gateway": gateway,
            "amount": order.total,
            "currency": order.currency,
            "status": status,
            "message": message[:250],
        },
    )


def refund(order: Order, reason: str = "cancel") -> bool:
    """Refund an order's successful charge in full (idempotent per order and reason)."""
    charge = (
        order.payments.filter(kind=Payment.Kind.CHARGE, status=Payment.Status.SUCCEEDED)
        .order_by("pk")
        .first()
    )
    if charge is None:
        return False
    _refund(charge, f"order-{order.number}-refund-{reason}")
    return True


def refund_charge(charge: Payment) -> None:
    """Give back one charge that should not have happened (late money, a second attempt): keyed by the charge."""
    _refund(charge, f"{charge.idempotency_key}-refund")


def _refund(charge: Payment, key: str) -> None:
    gateway = gateway_named(charge.gateway)  # the gateway that took the money gives it back
    result = gateway.refund(charge.reference, charge.amount, charge.currency, key)
    Payment.objects.update_or_create(
        idempotency_key=key,
        defaults={
            "order": charge.order,
            "kind": Payment.Kind.REFUND,
            "gateway": gateway.name,
            "amount": result.amount,
            "currency": result.currency,
            "status": Payment.Status.SUCCEEDED,
            "reference": result.reference,
        },
    )


# --- redirect methods ------------------------------------------------------------------------------------


def begin_redirect(order: Order, method: PaymentMethod, return_url: str) -> str:
    """Start paying for a placed order with a redirect method; returns the provider page to send the shopper to,
    or "" when the provider refused at once (the order is then failed, its stock released). Idempotent."""
    gateway = get_redirect_gateway(method.gateway)
    key = charge_key(order)
    # Recorded before the call: whatever happens next, the order says "ask this gateway about this key".
    payment, _new = Payment.objects.get_or_create(
        idempotency_key=key,
        defaults={
            "order": order,
            "gateway": gateway.name,
            "method": method.code,
            "amount": order.total,
            "currency": order.currency,
            "status": Payment.Status.UNKNOWN,
        },
    )
    if payment.redirect_url and payment.status == Payment.Status.UNKNOWN:
        return payment.redirect_url  # already started: continue where the shopper left off
    # The wallet stays open REDIRECT_TIMEOUT: the reconciler looks again after that, not after the card grace.
    Order.objects.filter(pk=order.pk).update(reconcile_after=timezone.now() + REDIRECT_TIMEOUT)
    # The provider shows this to the shopper on its page: in the shopper's language (the request's, active now).
    request = ChargeRequest(
        token="",
        amount=order.total,
        currency=order.currency,
        idempotency_key=key,
        description=_("Order %(number)s") % {"number": order.number},
    )
    try:
        start = gateway.begin(request, method.code, return_url)
    except PaymentError as exc:
        _fail(order, gateway.name, key, exc.said, Payment.Status.DECLINED)
        return ""
    Payment.objects.filter(idempotency_key=key).update(reference=start.reference, redirect_url=start.url)
    return start.url


def method_name(payment: Payment) -> str:
    """The redirect method's name in the current language ("Alipay", "카카오페이"...)."""
    method = payment_methods.get(payment.method)
    return str(method.name) if method is not None else payment.order.payment_method_label or payment.gateway


def method_said(payment: Payment) -> dict[str, str]:
    """The redirect method as a message param: its name is looked up in the reader's language when read."""
    return method_param(payment.method, payment.order.payment_method_label or payment.gateway)


def settle_redirect(
    order: Order, *, close: bool = False, now: datetime | None = None, source: str = Source.GATEWAY
) -> Order:
    """Ask the provider how this order's redirect payment ended and settle the order once.

    Still pending: the order waits, unless the payment started more than REDIRECT_TIMEOUT ago or the shopper
    asked to stop (`close`); then it is closed at the provider (so it can no longer be confirmed) and the order
    cancelled (the shopper) or expired (the time), stock back on the shelf. A payment confirmed a moment before
    it was closed still counts.
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
        lifecycle.schedule_check(order, after=backoff(order.reconcile_tries), now=now)
        return order
    method = {"method": method_said(payment)}
    if result is not None and result.outcome is Outcome.SUCCEEDED:
        return _succeed(order, gateway.name, key, result, source=source)
    if result is not None and result.outcome is Outcome.DECLINED:
        message = gettext_noop(
            "%(method)s declined the payment. You have not been charged. Choose another way to pay."
        )
        return _fail(order, gateway.name, key, Said(message, method), Payment.Status.DECLINED, source=source)
    if close or (result is not None and result.outcome is Outcome.CANCELLED and not expired):
        return _end_unpaid(
            order,
            gateway.name,
            key,
            "cancel",
            source=Source.SHOPPER,
            message=Said(
                gettext_noop("You cancelled the payment in %(method)s. Nothing was charged."), method
            ),
        )
    if expired:  # closed by us, or never reached the provider at all
        return _end_unpaid(
            order,
            gateway.name,
            key,
            "expire",
            source=source,
            now=now,
            message=Said(
                gettext_noop(
                    "The payment in %(method)s was not finished within 30 minutes, so we "
                    "closed the order. Nothing was charged."
                ),
                method,
            ),
        )
    return order  # pending: the shopper has not finished on the provider's page yet


def expire_abandoned_redirects(*, user=None, now: datetime | None = None) -> int:
    """Settle every redirect payment left open past REDIRECT_TIMEOUT (all of them, for a periodic job, or one
    shopper's, when they come back to pay). Returns how many orders it closed."""
    now = now or timezone.now()
    due = Order.objects.filter(
        status=Order.Status.PENDING_PAYMENT,
        payments__kind=Payment.Kind.CHARGE,
        payments__status=Payment.Status.UNKNOWN,
        payments__created_at__lte=now - REDIRECT_TIMEOUT,
    ).distinct()
    if user is not None:
        due = due.filter(user=user)
    closed = 0
    for order in due:
        if redirect_payment(order) is not None:
            closed += settle_redirect(order, now=now, source=Source.RECONCILER).status == Order.Status.EXPIRED
    return closed


def redirect_payment(order: Order) -> Payment | None:
    """The order's current charge through a redirect gateway, whatever its status (None for a card order)."""
    payment = order.payments.filter(kind=Payment.Kind.CHARGE, idempotency_key=charge_key(order)).first()
    return payment if payment is not None and is_redirect_gateway(payment.gateway) else None


def _end_unpaid(
    order: Order,
    gateway: str,
    key: str,
    transition: str,
    *,
    message: Said,
    source: str,
    now: datetime | None = None,
) -> Order:
    """Close the order unpaid (cancelled by the shopper, or expired) with its payment, stock back."""
    status = Payment.Status.CANCELLED
    with transaction.atomic():
        _record_unpaid(order, gateway, key, message.for_log(), status)
        order, _moved = lifecycle.try_move(
            order, transition, source=source, now=now, **lifecycle.ended_unpaid(message)
        )
    return order


# --- resuming an unfinished payment -------------------------------------------------------------------------


def open_payment(user) -> Order | None:
    """The shopper's order whose payment was started and not finished (a wallet page left open, most often)."""
    for order in Order.objects.filter(user=user, status=Order.Status.PENDING_PAYMENT).order_by("-placed_at")[
        :5
    ]:
        payment = order.payments.filter(kind=Payment.Kind.CHARGE, idempotency_key=charge_key(order)).first()
        if payment is not None and payment.status == Payment.Status.UNKNOWN:
            return order
    return None


def stop_attempt(order: Order) -> Order:
    """End the order's current payment attempt so another can start (or the order be cancelled) without a
    second charge: a wallet payment is closed at the provider; a card charge is looked up. If either turns out
    to have been paid, the order is paid and that is the answer."""
    key = charge_key(order)
    payment = order.payments.filter(idempotency_key=key).first()
    if payment is None or payment.status != Payment.Status.UNKNOWN:
        return order
    gateway = gateway_named(payment.gateway)
    # A PaymentError (the provider cannot tell us yet) propagates: nothing may start while this attempt could
    # still charge.
    redirect_gateway = cast(RedirectGateway, gateway)  # when is_redirect_gateway says so
    result = redirect_gateway.cancel(key) if is_redirect_gateway(payment.gateway) else gateway.lookup(key)
    if result is not None and result.succeeded:
        return _succeed(order, gateway.name, key, result, source=Source.GATEWAY)
    Payment.objects.filter(pk=payment.pk).update(status=Payment.Status.CANCELLED)
    return order


def next_attempt(order: Order, *, label: str = "") -> Order:
    """Stop the current attempt and open a fresh one (new idempotency key) for the same order and its stock,
    paid this time with `label` (the method's name on the order)."""
    order = stop_attempt(order)
    if order.status != Order.Status.PENDING_PAYMENT:
        return order
    with transaction.atomic():
        locked = Order.objects.select_for_update().get(pk=order.pk)
        if locked.payment_attempt == order.payment_attempt:
            Order.objects.filter(pk=order.pk).update(
                payment_attempt=locked.payment_attempt + 1,
                reconcile_after=timezone.now() + lifecycle.payment_grace(),
                payment_method_label=label or locked.payment_method_label,
            )
    order.refresh_from_db()
    return order


def cancel_unpaid(order: Order, *, by) -> Order:
    """The shopper stops an order whose payment has not gone through: stock back, nothing charged."""
    order = stop_attempt(order)
    if order.status != Order.Status.PENDING_PAYMENT:
        return order
    return lifecycle.cancel(
        order,
        actor=by,
        source=Source.SHOPPER,
        message=Said(gettext_noop("You cancelled this order before paying. Nothing was charged.")),
    )
