"""The shopper's timeline: each order event (lifecycle's log) said in words, with its time.

Events the shopper need not see (the reconciler rescheduling, internal failures) are left out; the notes kept are
those that help them (carrier and tracking number, an amount refunded, a return code)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext_lazy as _

from storefront.markets.money import format_money

from .models import Order

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
    """The order's events, oldest first: label, time, and the note when it helps the shopper."""
    out = []
    for event in order.events.all():
        label = LABELS.get(event.transition)
        if label is None:
            continue
        note = event.note if event.transition in SHOWN_NOTES else ""
        if event.transition in {"refund", "refund_part"}:
            note = _refund_amount(note)
        out.append({"label": label, "at": event.at, "note": note, "transition": event.transition})
    return out


def _refund_amount(note: str) -> str:
    """A refund event's note is "<amount> <currency> (<key>)": the shopper sees the amount, formatted."""
    amount, _sep, rest = note.partition(" ")
    currency = rest.split(" ")[0]
    try:
        return format_money(Decimal(amount), currency)
    except (InvalidOperation, ValueError, KeyError):
        return ""
