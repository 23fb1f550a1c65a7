"""Fulfilment: parcels (carrier, tracking number, which units of which lines), their delivery and exceptions.

The order moves through `lifecycle`: the parcel that ships the last unshipped units moves it paid -> shipped
(earlier parcels are `ship_part`, keeping it paid); the delivery of its last parcel in transit moves it
shipped -> delivered (earlier ones are `deliver_part`). A delayed parcel is logged (`delay`); a lost one
(`lose`) is then either sent again (`reship`: a new parcel with the same units, taken from stock once) or
refunded (`refunds.issue`, shipping included: the loss is the shop's). Only this module writes
`Shipment.status`, each change under the parcel's row lock.
"""

from __future__ import annotations

from typing import cast

from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from storefront.catalog import version
from storefront.catalog.models import Product

from . import lifecycle, refunds, stock
from .models import Order, OrderEvent, Refund, Shipment, ShipmentLine

Sh = Shipment.Status
Source = OrderEvent.Source
ACTIVE = (Sh.IN_TRANSIT, Sh.DELAYED)


class ShipmentRefused(Exception):
    """The parcel (or this step for it) cannot happen; the message is safe to show the merchant."""


def unshipped(order: Order) -> dict[int, int]:
    """Units per order line not yet in a parcel (a replacement parcel does not count twice; an exchange's parcel,
    sent after delivery, makes no line negative)."""
    sent = dict(
        ShipmentLine.objects.filter(shipment__order=order, shipment__replaces__isnull=True)
        .values_list("order_line")
        .annotate(n=Sum("quantity"))
    )
    return {
        line.pk: line.quantity - sent.get(line.pk, 0)
        for line in order.lines.all()
        if line.quantity - sent.get(line.pk, 0) > 0
    }


def ship(
    order: Order, *, carrier: str, tracking_number: str, quantities: dict[int, int] | None = None, actor=None
) -> Shipment:
    """Send a parcel with `quantities` units per order line (default: everything not yet shipped)."""
    carrier, tracking_number = carrier.strip(), tracking_number.strip()
    if not carrier or not tracking_number:
        raise ShipmentRefused(_("Enter the carrier and the tracking number."))
    with transaction.atomic():
        locked = Order.objects.select_for_update().get(pk=order.pk)
        if locked.status != Order.Status.PAID:
            raise ShipmentRefused(_("Only a paid order that is not fully shipped can be shipped."))
        left = unshipped(locked)
        wanted = {k: v for k, v in (quantities if quantities is not None else left).items() if v > 0}
        if not wanted or any(n > left.get(line_id, 0) for line_id, n in wanted.items()):
            raise ShipmentRefused(_("Choose units that have not been shipped yet."))
        parcel = Shipment.objects.create(
            order=locked, carrier=carrier[:60], tracking_number=tracking_number[:60]
        )
        ShipmentLine.objects.bulk_create(
            [ShipmentLine(shipment=parcel, order_line_id=k, quantity=v) for k, v in sorted(wanted.items())]
        )
        last = all(left.get(k, 0) == wanted.get(k, 0) for k in left)
        lifecycle.move(
            locked,
            "ship" if last else "ship_part",
            source=Source.MERCHANT,
            actor=actor,
            data=parcel_data(parcel),
        )
    return parcel


def parcel_data(parcel: Shipment) -> dict[str, str]:
    """What an order event records about a parcel (the timeline shows it)."""
    return {"carrier": parcel.carrier, "tracking": parcel.tracking_number}


def _step(
    parcel: Shipment,
    name: str,
    sources: tuple,
    target: str,
    *,
    actor=None,
    note: str = "",
    data: dict | None = None,
    **fields,
) -> tuple[Shipment, bool]:
    """`note` is what the merchant typed (shown as written); `data` adds to the parcel's own."""
    with transaction.atomic():
        locked = Shipment.objects.select_for_update().select_related("order").get(pk=parcel.pk)
        if locked.status == target:
            return locked, False
        if locked.status not in sources:
            raise ShipmentRefused(
                _("This parcel is %(status)s, so that cannot be done now.")
                % {"status": locked.get_status_display().lower()}
            )
        locked.status = target
        for field, value in fields.items():
            setattr(locked, field, value)
        locked.save(update_fields=["status", *fields])
        if name:
            lifecycle.move(
                locked.order,
                name,
                source=Source.MERCHANT,
                actor=actor,
                note=note.strip(),
                data={**parcel_data(locked), **(data or {})},
            )
    return locked, True


def deliver(parcel: Shipment, *, actor=None) -> Shipment:
    """The parcel arrived; with no other parcel on its way and nothing unshipped, the order is delivered."""
    with transaction.atomic():
        parcel, moved = _step(parcel, "", ACTIVE, Sh.DELIVERED, delivered_at=timezone.now())
        if moved:
            order = Order.objects.select_for_update().get(pk=parcel.order_id)
            done = (
                not unshipped(order) and not order.shipments.filter(status__in=ACTIVE + (Sh.LOST,)).exists()
            )
            name = "deliver" if done and order.status == Order.Status.SHIPPED else "deliver_part"
            lifecycle.move(
                order,
                name,
                source=Source.MERCHANT,
                actor=actor,
                data=parcel_data(parcel),
            )
    return parcel


def delay(parcel: Shipment, *, note: str = "", actor=None) -> Shipment:
    return _step(parcel, "delay", (Sh.IN_TRANSIT,), Sh.DELAYED, actor=actor, note=note)[0]


def lose(parcel: Shipment, *, actor=None) -> Shipment:
    return _step(parcel, "lose", ACTIVE, Sh.LOST, actor=actor)[0]


def _units(parcel: Shipment) -> dict[int, int]:
    return {line.order_line_id: line.quantity for line in parcel.lines.all()}


def reship(parcel: Shipment, *, carrier: str, tracking_number: str, actor=None) -> Shipment:
    """Send a lost parcel's units again (new units from stock, taken once: the lost parcel is then resolved)."""
    if not carrier.strip() or not tracking_number.strip():
        raise ShipmentRefused(_("Enter the carrier and the tracking number."))
    with transaction.atomic():
        parcel, moved = _step(
            parcel,
            "reship",
            (Sh.LOST,),
            Sh.RESOLVED,
            actor=actor,
            data={"to_carrier": carrier.strip()[:60], "to_tracking": tracking_number.strip()[:60]},
        )
        if not moved:
            raise ShipmentRefused(_("This parcel has been resolved already."))
        return ship_replacement(
            parcel.order, _units(parcel), carrier=carrier, tracking_number=tracking_number, replaces=parcel
        )


def ship_replacement(
    order: Order,
    quantities: dict[int, int],
    *,
    carrier: str,
    tracking_number: str,
    replaces: Shipment | None = None,
) -> Shipment:
    """A parcel of replacement units (a lost parcel sent again, an exchange): taken from stock, then shipped.
    Call inside the step that makes it happen once."""
    lines = {line.pk: line for line in order.lines.all()}
    wanted = stock.quantities(
        [_Unit(cast(int, lines[k].product_id), v) for k, v in quantities.items() if lines[k].product_id]
    )
    products = stock.lock_products(wanted)
    if any(products[pid].stock < n for pid, n in wanted.items()):
        raise ShipmentRefused(_("Not enough stock to send a replacement."))
    for product_id, n in sorted(wanted.items()):
        Product.objects.filter(pk=product_id).update(stock=F("stock") - n)
    version.bump()  # update() sends no signal; listings and product pages show the stock
    parcel = Shipment.objects.create(
        order=order,
        carrier=carrier.strip()[:60],
        tracking_number=tracking_number.strip()[:60],
        replaces=replaces,
    )
    ShipmentLine.objects.bulk_create(
        [ShipmentLine(shipment=parcel, order_line_id=k, quantity=v) for k, v in sorted(quantities.items())]
    )
    return parcel


class _Unit:
    def __init__(self, product_id: int, quantity: int) -> None:
        self.product_id, self.quantity = product_id, quantity


def refund_lost(parcel: Shipment, *, actor=None) -> Refund:
    """Refund a lost parcel's units (shipping included) instead of sending them again."""
    if parcel.status != Sh.LOST:
        raise ShipmentRefused(_("This parcel has been resolved already."))
    try:  # the refund's own bookkeeping refuses a second one for the same units
        refund = refunds.issue(
            parcel.order, _units(parcel), actor=actor, shop_fault=True, reason=_("Parcel lost in transit")
        )
    except refunds.RefundRefused as exc:
        raise ShipmentRefused(str(exc)) from exc
    _step(parcel, "", (Sh.LOST,), Sh.RESOLVED)
    return refund
