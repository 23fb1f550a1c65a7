"""The shopper's timeline: each order event (lifecycle's log) said in words, with its time.

Events the shopper need not see (the reconciler rescheduling, internal failures) are left out; the details kept
are those that help them (carrier and tracking number, an amount refunded, a return code, why an order ended
unpaid). They are rendered from the data the event stores, in the reader's language and money format, whoever
wrote them in whichever language (`describe`); what a person typed is shown as written."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from .models import Order, OrderEvent
from .said import Said, money_text

LABELS = {
    "place": _("Order placed"),
    "start_payment": _("Payment started"),
    "pay": _("Paid"),
    "fail_payment": _("Payment failed"),
    "cancel": _("Cancelled"),
    "expire": _("Closed unpaid"),
    "ship": _("Shipped"),
    "ship_part": _("Part of the order shipped"),
    "deliver": _("Delivered"),
    "deliver_part": _("A parcel was delivered"),
    "delay": _("A parcel is delayed"),
    "lose": _("A parcel was lost in transit"),
    "reship": _("A lost parcel was sent again"),
    "refund": _("Refunded in full"),
    "refund_part": _("Partly refunded"),
    "return_request": _("Return requested"),
    "return_approve": _("Return approved"),
    "return_reject": _("Return refused"),
    "return_send": _("Return parcel sent"),
    "return_receive": _("Return parcel received"),
    "return_close": _("Return closed"),
    "exchange_send": _("Replacement sent"),
}
SHOWN_NOTES = {
    "ship",
    "ship_part",
    "deliver",
    "deliver_part",
    "delay",
    "lose",
    "reship",
    "refund",
    "refund_part",
    "return_request",
    "return_approve",
    "return_reject",
    "return_send",
    "return_receive",
    "return_close",
    "exchange_send",
    "fail_payment",
    "cancel",
    "expire",
}


def events(order: Order) -> list[dict]:
    """The order's events, oldest first: label, time, and the details when they help the shopper."""
    out = []
    for event in order.events.all():
        label = LABELS.get(event.transition)
        if label is None:
            continue
        note = describe(event) if event.transition in SHOWN_NOTES else ""
        out.append({"label": label, "at": event.at, "note": note, "transition": event.transition})
    return out


def describe(event: OrderEvent) -> str:
    """The event's details in the current language: what the shop recorded (`event.data`), then what a person
    typed (`event.note`, as written). Events from before `data` show their note as it was written."""
    return " ".join(part for part in (recorded(event.data or {}), event.note) if part)


def recorded(data: dict) -> str:
    """What the shop recorded on an event (lifecycle's `data`), said in the current language and money format."""
    parts = [
        str(data.get("return", "")),
        _parcel(data.get("carrier", ""), data.get("tracking", "")),
        _parcel(data.get("to_carrier", ""), data.get("to_tracking", "")),
        money_text(data) if "currency" in data else "",
        str(Said.from_data(data.get("said")) or ""),
    ]
    if data.get("to_tracking"):  # a lost parcel sent again: "the lost one → the new one"
        parts[1:3] = [f"{parts[1]} → {parts[2]}".strip()]
    return " ".join(part for part in parts if part)


def _parcel(carrier: str, tracking: str) -> str:
    return f"{carrier} {tracking}".strip()
