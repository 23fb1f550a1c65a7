"""Refunds that move money: deciding what a refund gives back, sending it to the gateway, settling its answer.

A refund is decided under the order's row lock (`issue`): the lines and units asked for must not have been
refunded already (by any refund not failed), the amounts come from `markets.pricing.refund_quote`, and a
`Refund` row is written with its idempotency key, status unknown, before the gateway is called. So ten clicks
on the same button make one refund: the first writes the row, the others find nothing left to refund.

The gateway is called after commit, never under a lock, through the gateway that took the money (the family
payer's card for a family order) with the refund's key. Its answer settles the refund once (`_settle`, under the
refund's row lock): succeeded -> a Payment(kind=refund) row, an order event (`refund` when the order is now
wholly refunded, else `refund_part`, which keeps the status), e-mails to the shopper and the payer; declined ->
failed, its units refundable again; no answer -> unknown, asked again by `run` (the scheduled pass) with backoff,
by the same key, so a refund that did happen is found rather than repeated.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, cast

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from storefront.markets.pricing import RefundableLine, RefundQuote, refund_quote

from . import emails, lifecycle, said
from .gateways import gateway_named
from .gateways.base import GatewayTimeout, PaymentError
from .models import Order, OrderEvent, Payment, Refund, RefundLine, ReturnRequest
from .said import Said

log = logging.getLogger(__name__)
Source = OrderEvent.Source
LIVE = (Refund.Status.UNKNOWN, Refund.Status.SUCCEEDED)  # refunds that count: done or maybe done


class RefundRefused(Exception):
    """Nothing (or not that much) is left to refund; the message is safe to show the merchant."""


@dataclass(frozen=True)
class Remaining:
    """What is still refundable per order line, and what parts of shipping and tax went back already."""

    units: dict[int, int]
    lines: list[RefundableLine]
    shipping_refunded: Decimal
    taxes_refunded: Decimal


def remaining(order: Order, asked: dict[int, int] | None = None) -> Remaining:
    """The order's lines as refunds see them, with `asked` units (per order line id) as this refund's."""
    asked = asked or {}
    done = {
        row["order_line"]: row
        for row in RefundLine.objects.filter(refund__order=order, refund__status__in=LIVE)
        .values("order_line")
        .annotate(units=Sum("quantity"), duty=Sum("duty"))
    }
    lines, units = [], {}
    for line in order.lines.all():
        before: Any = done.get(line.pk, {})
        refunded = before.get("units") or 0
        units[line.pk] = line.quantity - refunded
        lines.append(
            RefundableLine(
                line.pk,
                line.unit_price,
                line.quantity,
                line.duty,
                asked.get(line.pk, 0),
                refunded,
                before.get("duty") or Decimal(0),
            )
        )
    sums = Refund.objects.filter(order=order, status__in=LIVE).aggregate(s=Sum("shipping"), t=Sum("taxes"))
    return Remaining(units, lines, sums["s"] or Decimal(0), sums["t"] or Decimal(0))


def quote(order: Order, asked: dict[int, int], *, shop_fault: bool = False) -> RefundQuote:
    """What refunding `asked` units per order line would give back now (the preview; `issue` decides again)."""
    left = remaining(order, asked)
    if any(units > left.units.get(line_id, 0) for line_id, units in asked.items()):
        raise RefundRefused(_("Some of those items have already been refunded."))
    return refund_quote(
        left.lines,
        currency=order.currency,
        order_shipping=order.shipping,
        order_duties=order.duties,
        order_taxes=order.taxes,
        shipping_refunded=left.shipping_refunded,
        taxes_refunded=left.taxes_refunded,
        shop_fault=shop_fault,
    )


def issue(
    order: Order,
    asked: dict[int, int],
    *,
    source: str = Source.MERCHANT,
    actor=None,
    reason: str = "",
    shop_fault: bool = False,
    return_request: ReturnRequest | None = None,
    fast: bool = False,
) -> Refund:
    """Refund `asked` units per order line of a paid order through its gateway (see the module docstring).
    Raises RefundRefused when they were refunded already or there is nothing to refund."""
    asked = {line_id: units for line_id, units in asked.items() if units > 0}
    if not asked:
        raise RefundRefused(_("Choose at least one item to refund."))
    with transaction.atomic():
        locked = Order.objects.select_for_update().get(pk=order.pk)
        if not locked.is_paid or not charge_of(locked):  # (a cancelled order was refunded when cancelled)
            raise RefundRefused(_("This order has no payment to refund."))
        amounts = quote(locked, asked, shop_fault=shop_fault)
        if amounts.total <= 0:
            raise RefundRefused(_("There is nothing left to refund on those items."))
        number = Refund.objects.filter(order=locked).count() + 1
        refund = Refund.objects.create(
            order=locked,
            return_request=return_request,
            idempotency_key=f"order-{locked.number}-refund-r{number}",
            currency=locked.currency,
            goods=amounts.goods,
            shipping=amounts.shipping,
            duties=amounts.duties,
            taxes=amounts.taxes,
            amount=amounts.total,
            reason=reason[:250],
            fast=fast,
            actor=actor if getattr(actor, "pk", None) else None,
            retry_after=timezone.now() + lifecycle.payment_grace(),
        )  # the reconciler leaves it to this call first
        RefundLine.objects.bulk_create(
            [
                RefundLine(
                    refund=refund,
                    order_line_id=part.key,
                    quantity=part.quantity,
                    amount=part.goods,
                    duty=part.duty,
                )
                for part in amounts.lines
            ]
        )
    return send(refund, source=source)


def charge_of(order: Order) -> Payment | None:
    """The charge that paid the order: the money a refund goes back to."""
    return (
        order.payments.filter(kind=Payment.Kind.CHARGE, status=Payment.Status.SUCCEEDED)
        .order_by("pk")
        .first()
    )


def send(refund: Refund, *, source: str = Source.MERCHANT) -> Refund:
    """Ask the gateway to make the refund (again, by the same key, if it was asked before) and settle its answer."""
    if refund.status != Refund.Status.UNKNOWN:
        return refund
    charge = charge_of(refund.order)
    assert charge is not None  # a refund is only ever made against a charge
    gateway = gateway_named(charge.gateway)
    try:
        result = gateway.refund(charge.reference, refund.amount, refund.currency, refund.idempotency_key)
    except GatewayTimeout:
        log.warning("Refund %s: the gateway did not answer; asked again later", refund.idempotency_key)
        return _later(refund)
    except PaymentError as exc:
        return _settle(refund, succeeded=False, gateway=gateway.name, message=exc.said, source=source)
    return _settle(refund, succeeded=True, gateway=gateway.name, reference=result.reference, source=source)


def reconcile(refund: Refund, *, now: datetime | None = None) -> Refund:
    """A refund whose answer never came: ask the gateway by its key; made -> settled, not made -> sent again."""
    if refund.status != Refund.Status.UNKNOWN:
        return refund
    charge = charge_of(refund.order)
    assert charge is not None  # a refund is only ever made against a charge
    gateway = gateway_named(charge.gateway)
    try:
        found = gateway.lookup(refund.idempotency_key)
    except PaymentError:
        return _later(refund, now=now)
    if found is None:
        return send(refund, source=Source.RECONCILER)
    succeeded = getattr(found, "succeeded", None)
    if succeeded is None:  # a redirect gateway's answer
        succeeded = getattr(found, "outcome", None) == "succeeded"
    return _settle(
        refund,
        succeeded=bool(succeeded),
        gateway=gateway.name,
        reference=found.reference,
        source=Source.RECONCILER,
    )


def run(*, now: datetime | None = None) -> int:
    """The scheduled pass: reconcile every refund still unknown whose time has come. Returns how many settled."""
    now = now or timezone.now()
    settled = 0
    for refund in Refund.objects.filter(status=Refund.Status.UNKNOWN, retry_after__lte=now).order_by("pk")[
        :200
    ]:
        settled += reconcile(refund, now=now).status != Refund.Status.UNKNOWN
    return settled


def _later(refund: Refund, *, now: datetime | None = None) -> Refund:
    from .payments import backoff

    Refund.objects.filter(pk=refund.pk, status=Refund.Status.UNKNOWN).update(
        retry_after=(now or timezone.now()) + backoff(refund.tries), tries=refund.tries + 1
    )
    refund.refresh_from_db()
    return refund


def _settle(
    refund: Refund,
    *,
    succeeded: bool,
    gateway: str,
    reference: str = "",
    message: Said | None = None,
    source: str = Source.GATEWAY,
) -> Refund:
    with transaction.atomic():
        locked = Refund.objects.select_for_update().select_related("order").get(pk=refund.pk)
        if locked.status != Refund.Status.UNKNOWN:
            return locked  # settled by another worker a moment ago
        locked.status = Refund.Status.SUCCEEDED if succeeded else Refund.Status.FAILED
        locked.settled_at = timezone.now()
        locked.retry_after = None
        locked.save(update_fields=["status", "settled_at", "retry_after"])
        order = locked.order
        # The amount as data (the timeline shows it in the reader's money format); the key for the admin only.
        data: dict[str, Any] = {**said.money(locked.amount, locked.currency), "key": locked.idempotency_key}
        if not succeeded:
            if message:
                data["said"] = message.as_data()
            lifecycle.try_move(order, "refund_failed", source=source, data=data)
            return locked
        Payment.objects.update_or_create(
            idempotency_key=locked.idempotency_key,
            defaults={
                "order": order,
                "kind": Payment.Kind.REFUND,
                "gateway": gateway,
                "amount": locked.amount,
                "currency": locked.currency,
                "status": Payment.Status.SUCCEEDED,
                "reference": reference,
            },
        )
        left = remaining(order)
        whole = not any(left.units.values()) and left.shipping_refunded >= order.shipping
        lifecycle.try_move(
            order, "refund" if whole else "refund_part", source=source, actor=locked.actor, data=data
        )
        emails.refund_issued(locked)
    if locked.return_request_id:  # after commit: the return's lock is never taken while holding the order's
        from . import returns

        returns.after_refund(cast(ReturnRequest, locked.return_request))  # return_request_id is set
    return locked
