"""Returns and exchanges per line: what can be returned, the shopper's request, and the merchant's steps.

    requested ──> approved ──> sent (tracking code) ──> received (restocked once) ──> refunded / exchanged
        └──────────┴─────────────┴──> rejected (with a reason)

Each step locks the return's row, checks the status it may leave from, writes the new one and an order event
through `lifecycle` (steps that keep the order's status). Only this module writes `ReturnRequest.status`.
A return's label (its code) is available as soon as it is requested: the shopper can post it at once.
Fast refund: a refund return under RETURNS_FAST_REFUND_LIMIT (base currency) from a shopper with a good history
(at least RETURNS_FAST_REFUND_MIN_ORDERS delivered orders, never a refused return) is refunded when the shopper
registers the parcel's tracking code, before the merchant receives it.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import cast

from django.conf import settings
from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from storefront.catalog import version
from storefront.catalog.models import Product
from storefront.markets.pricing import RefundQuote

from . import emails, lifecycle, refunds, stock
from .models import Order, OrderEvent, OrderLine, ReturnLine, ReturnRequest

R = ReturnRequest.Status
Source = OrderEvent.Source
DEFAULT_WINDOW_DAYS = 30


class ReturnRefused(Exception):
    """The return (or this step of it) cannot happen; the message is safe to show."""


def window_days(line: OrderLine) -> int:
    category = getattr(line.product, "category", None)
    return getattr(category, "return_days", None) or DEFAULT_WINDOW_DAYS


def window_ends(order: Order, line: OrderLine) -> datetime | None:
    """When the line can no longer be returned: its category's window after delivery (None before delivery)."""
    if order.delivered_at is None:
        return None
    return order.delivered_at + timedelta(days=window_days(line))


def returnable(order: Order, *, now: datetime | None = None) -> list[tuple[OrderLine, int]]:
    """Each line still returnable, with how many units (minus those in other returns not refused)."""
    if order.status not in lifecycle.AFTER_DELIVERY or order.delivered_at is None:
        return []
    now = now or timezone.now()
    taken = dict(
        ReturnLine.objects.filter(return_request__order=order)
        .exclude(return_request__status=R.REJECTED)
        .values_list("order_line")
        .annotate(n=Sum("quantity"))
    )
    left = refunds.remaining(order).units  # units refunded some other way (a lost parcel) cannot come back
    out = []
    for line in order.lines.select_related("product__category"):
        units = min(line.quantity - taken.get(line.pk, 0), left.get(line.pk, 0))
        if units > 0 and now <= cast(datetime, window_ends(order, line)):  # delivered: it has an end
            out.append((line, units))
    return out


def preview(order: Order, quantities: dict[int, int], *, reason: str, kind: str) -> RefundQuote | None:
    """The refund a return of these units would give (None for an exchange: a replacement instead of money)."""
    if kind == ReturnRequest.Kind.EXCHANGE:
        return None
    return refunds.quote(order, quantities, shop_fault=reason in ReturnRequest.SHOP_FAULT)


def request(
    order: Order, *, quantities: dict[int, int], reason: str, detail: str = "", kind: str, actor=None
) -> ReturnRequest:
    """The shopper asks to return (or exchange) some units; checked against what is returnable, under the lock."""
    quantities = {line_id: n for line_id, n in quantities.items() if n > 0}
    if not quantities:
        raise ReturnRefused(_("Choose at least one item to return."))
    with transaction.atomic():
        locked = Order.objects.select_for_update().get(pk=order.pk)
        allowed = {line.pk: units for line, units in returnable(locked)}
        if any(n > allowed.get(line_id, 0) for line_id, n in quantities.items()):
            raise ReturnRefused(_("Some of those items can no longer be returned."))
        ret = ReturnRequest.objects.create(order=locked, reason=reason, detail=detail, kind=kind)
        ReturnLine.objects.bulk_create(
            [
                ReturnLine(return_request=ret, order_line_id=line_id, quantity=n)
                for line_id, n in sorted(quantities.items())
            ]
        )
        lifecycle.move(
            locked, "return_request", source=Source.SHOPPER, actor=actor, data={"return": ret.code}
        )
        emails.return_decided(ret)
    return ret


def _step(
    ret: ReturnRequest,
    name: str,
    sources: set[str],
    target: str,
    *,
    source: str,
    actor=None,
    note: str = "",
    data: dict | None = None,
    **fields,
) -> tuple[ReturnRequest, bool]:
    """Move a return from one of `sources` to `target` once; (return as it now is, moved by this call).
    `note` is what a person typed (shown as written); `data` adds to the return's code in the event."""
    with transaction.atomic():
        locked = ReturnRequest.objects.select_for_update().select_related("order").get(pk=ret.pk)
        if locked.status == target:
            return locked, False
        if locked.status not in sources:
            raise ReturnRefused(
                _("This return is %(status)s, so that cannot be done now.")
                % {"status": locked.get_status_display().lower()}
            )
        locked.status = target
        for field, value in fields.items():
            setattr(locked, field, value)
        locked.save(update_fields=["status", "updated_at", *fields])
        lifecycle.move(
            locked.order,
            name,
            source=source,
            actor=actor,
            note=note.strip(),
            data={"return": locked.code, **(data or {})},
        )
        emails.return_decided(locked)
    return locked, True


def approve(ret: ReturnRequest, *, actor=None) -> ReturnRequest:
    return _step(ret, "return_approve", {R.REQUESTED}, R.APPROVED, source=Source.MERCHANT, actor=actor)[0]


def reject(ret: ReturnRequest, *, reason: str, actor=None) -> ReturnRequest:
    if not reason.strip():
        raise ReturnRefused(_("Say why the return is refused: the shopper will read it."))
    if ret.refunds.filter(status__in=refunds.LIVE).exists():
        raise ReturnRefused(_("This return has been refunded already, so it cannot be refused."))
    return _step(
        ret,
        "return_reject",
        {R.REQUESTED, R.APPROVED, R.SENT},
        R.REJECTED,
        source=Source.MERCHANT,
        actor=actor,
        note=reason,
        rejection_reason=reason.strip()[:250],
    )[0]


def register_tracking(ret: ReturnRequest, *, tracking_code: str, actor=None) -> ReturnRequest:
    """The shopper handed the parcel over: record its tracking code, and refund at once if it qualifies."""
    code = tracking_code.strip()
    if not code:
        raise ReturnRefused(_("Enter the tracking code from your receipt."))
    ret, moved = _step(
        ret,
        "return_send",
        {R.REQUESTED, R.APPROVED},
        R.SENT,
        source=Source.SHOPPER,
        actor=actor,
        data={"tracking": code[:40]},
        tracking_code=code[:40],
    )
    if moved and qualifies_for_fast_refund(ret):
        refunds.issue(
            ret.order,
            _quantities(ret),
            source=Source.SYSTEM,
            reason=_("Fast refund"),
            shop_fault=ret.reason in ReturnRequest.SHOP_FAULT,
            return_request=ret,
            fast=True,
        )
        ret.refresh_from_db()
    return ret


def qualifies_for_fast_refund(ret: ReturnRequest) -> bool:
    if ret.kind != ReturnRequest.Kind.REFUND:
        return False
    limit = Decimal(str(getattr(settings, "RETURNS_FAST_REFUND_LIMIT", "50")))
    order = ret.order
    amount = preview(order, _quantities(ret), reason=ret.reason, kind=ret.kind)
    if amount is None or amount.total / (order.exchange_rate or 1) > limit:
        return False
    user = order.user
    delivered = Order.objects.filter(user=user, delivered_at__isnull=False).count()
    refused = ReturnRequest.objects.filter(order__user=user, status=R.REJECTED).exists()
    return delivered >= getattr(settings, "RETURNS_FAST_REFUND_MIN_ORDERS", 2) and not refused


def receive(ret: ReturnRequest, *, actor=None) -> ReturnRequest:
    """The parcel arrived: its units go back on the shelf, exactly once."""
    ret, moved = _step(
        ret,
        "return_receive",
        {R.REQUESTED, R.APPROVED, R.SENT},
        R.RECEIVED,
        source=Source.MERCHANT,
        actor=actor,
    )
    if moved:
        restock(ret)
        after_refund(ret)  # a fast refund may have paid it already
        ret.refresh_from_db()
    return ret


def restock(ret: ReturnRequest) -> bool:
    """Put a received return's units back on the shelf, guarded by `restocked` so it happens once."""
    with transaction.atomic():
        locked = ReturnRequest.objects.select_for_update().get(pk=ret.pk)
        if locked.restocked:
            return False
        wanted = stock.quantities(
            [
                _Unit(line.order_line.product_id, line.quantity)
                for line in locked.lines.select_related("order_line")
                if line.order_line.product_id
            ]
        )
        stock.lock_products(wanted)
        for product_id, quantity in sorted(wanted.items()):
            Product.objects.filter(pk=product_id).update(stock=F("stock") + quantity)
        version.bump()  # update() sends no signal; listings and product pages show the stock
        ReturnRequest.objects.filter(pk=locked.pk).update(restocked=True)
    ret.restocked = True
    return True


class _Unit:
    def __init__(self, product_id: int, quantity: int) -> None:
        self.product_id, self.quantity = product_id, quantity


def refund(ret: ReturnRequest, quantities: dict[int, int] | None = None, *, actor=None):
    """The merchant refunds a return: every returned unit not yet refunded, or the `quantities` chosen."""
    if ret.kind != ReturnRequest.Kind.REFUND:
        raise ReturnRefused(_("An exchange is settled with a replacement, not a refund."))
    if ret.status == R.REJECTED:
        raise ReturnRefused(_("This return was refused."))
    wanted = quantities if quantities is not None else outstanding(ret)
    limits = _quantities(ret)
    if any(n > limits.get(line_id, 0) for line_id, n in wanted.items()):
        raise ReturnRefused(_("Refund at most the units in the return."))
    try:
        return refunds.issue(
            ret.order,
            wanted,
            actor=actor,
            reason=ret.get_reason_display(),
            shop_fault=ret.reason in ReturnRequest.SHOP_FAULT,
            return_request=ret,
        )
    except refunds.RefundRefused as exc:
        raise ReturnRefused(str(exc)) from exc


def outstanding(ret: ReturnRequest) -> dict[int, int]:
    """Units of the return not yet covered by a refund of it (done or in flight)."""
    done = dict(
        ret.refunds.filter(status__in=refunds.LIVE)
        .values_list("lines__order_line")
        .annotate(n=Sum("lines__quantity"))
    )
    return {
        line_id: n - (done.get(line_id) or 0)
        for line_id, n in _quantities(ret).items()
        if n - (done.get(line_id) or 0) > 0
    }


def after_refund(ret: ReturnRequest) -> None:
    """A refund of this return succeeded: once received and wholly refunded, the return is closed."""
    fresh = ReturnRequest.objects.get(pk=ret.pk)
    settled = not fresh.refunds.filter(status=refunds.Refund.Status.UNKNOWN).exists()
    if fresh.status == R.RECEIVED and not outstanding(fresh) and settled:
        _step(fresh, "return_close", {R.RECEIVED}, R.REFUNDED, source=Source.SYSTEM)


def send_replacement(ret: ReturnRequest, *, carrier: str, tracking_number: str, actor=None) -> ReturnRequest:
    """An exchange: the received units are replaced by the same items, taken from stock and shipped."""
    from . import fulfilment

    if ret.kind != ReturnRequest.Kind.EXCHANGE:
        raise ReturnRefused(_("Only an exchange gets a replacement."))
    with transaction.atomic():
        ret, moved = _step(
            ret,
            "exchange_send",
            {R.RECEIVED},
            R.EXCHANGED,
            source=Source.MERCHANT,
            actor=actor,
            data={"carrier": carrier.strip()[:60], "tracking": tracking_number.strip()[:60]},
        )
        if moved:
            fulfilment.ship_replacement(
                ret.order, _quantities(ret), carrier=carrier, tracking_number=tracking_number
            )
    return ret


def _quantities(ret: ReturnRequest) -> dict[int, int]:
    return {line.order_line_id: line.quantity for line in ret.lines.all()}
