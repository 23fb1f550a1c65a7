"""The order lifecycle: the statuses an order can have, the named transitions between them, and their log.

Nothing else in the project writes `Order.status`. Each transition:
- locks the order row and checks the current status against the states it may leave from;
- is idempotent: asked for the status the order already has, it returns the order unchanged (no second event);
- writes the new status with its timestamp and an `OrderEvent` (transition, from, to, source, actor, what a
  person typed as `note`, what the shop records as `data`: see `history.describe`);
- for an order ending unpaid, puts its stock back exactly once (`stock.release`);
- tells listeners after the transaction commits (`order_changed`), so family payment can follow an order that
  the reconciler settled without checkout importing family.

    placed ──> awaiting_family ──> pending_payment ──> paid ──> shipped ──> delivered ──> refunded
                      │                  │               │
                      ├─> cancelled <────┼───────────────┘   (a person stopped it; paid: refunded by payments)
                      └─> expired  <─────┤                   (nobody finished it in time; nothing charged)
                                         └─> payment_failed  (the provider said no; nothing charged)

Some transitions keep the status (`target` empty): a partial shipment, a parcel delayed or lost, a return's
steps, a partial refund. They still lock the order, check that it is in a status they may happen in and write
their event; their own record (Shipment, ReturnRequest, Refund, each changed under its own row lock by
`fulfilment`, `returns` and `refunds`) is what makes them happen once.
"""

from __future__ import annotations

from collections.abc import Set
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _

from . import stock
from .models import Order, OrderEvent
from .said import Said

S = Order.Status
Source = OrderEvent.Source

# Sent on commit after every transition with `order`, `transition` (its name) and `source`.
order_changed = Signal()


class TransitionRefused(Exception):
    """The order is in a status this transition may not leave from; the message is safe to show."""

    def __init__(self, order: Order, transition: str) -> None:
        super().__init__(
            _("This order is %(status)s, so that cannot be done now.")
            % {"status": order.get_status_display().lower()}
        )
        self.order = order
        self.transition = transition


@dataclass(frozen=True)
class Transition:
    name: str
    sources: frozenset[str]
    target: str
    releases_stock: bool = False
    stamp: str = ""  # the timestamp field set when the order arrives

    @property
    def keeps_status(self) -> bool:
        return not self.target


OPEN_UNPAID = frozenset({S.PENDING_PAYMENT, S.AWAITING_FAMILY})
AFTER_DELIVERY = frozenset({S.DELIVERED, S.REFUNDED})  # a fast refund may come before the parcel is received
RETURN_STEPS = (
    "return_request",
    "return_approve",
    "return_reject",
    "return_send",
    "return_receive",
    "return_close",
    "exchange_send",
)
TRANSITIONS = {
    t.name: t
    for t in [
        Transition("start_payment", frozenset({S.AWAITING_FAMILY}), S.PENDING_PAYMENT),
        Transition("pay", frozenset({S.PENDING_PAYMENT}), S.PAID, stamp="paid_at"),
        Transition("fail_payment", frozenset({S.PENDING_PAYMENT}), S.PAYMENT_FAILED, releases_stock=True),
        Transition("cancel", OPEN_UNPAID | {S.PAID}, S.CANCELLED, releases_stock=True, stamp="cancelled_at"),
        Transition("expire", OPEN_UNPAID, S.EXPIRED, releases_stock=True, stamp="cancelled_at"),
        Transition("ship", frozenset({S.PAID}), S.SHIPPED, stamp="shipped_at"),
        Transition("deliver", frozenset({S.SHIPPED}), S.DELIVERED, stamp="delivered_at"),
        Transition("refund", frozenset({S.PAID, S.SHIPPED, S.DELIVERED}), S.REFUNDED),
        # Steps that keep the order's status (see the module docstring).
        Transition("ship_part", frozenset({S.PAID}), ""),
        Transition("deliver_part", frozenset({S.PAID, S.SHIPPED, S.DELIVERED, S.REFUNDED}), ""),
        Transition("delay", frozenset({S.PAID, S.SHIPPED, S.DELIVERED, S.REFUNDED}), ""),
        Transition("lose", frozenset({S.PAID, S.SHIPPED, S.DELIVERED, S.REFUNDED}), ""),
        Transition("reship", frozenset({S.PAID, S.SHIPPED, S.DELIVERED}), ""),
        Transition("refund_part", frozenset({S.PAID, S.SHIPPED, S.DELIVERED}), ""),
        Transition("refund_failed", frozenset({S.PAID, S.SHIPPED, S.DELIVERED, S.REFUNDED}), ""),
        *[Transition(name, AFTER_DELIVERY, "") for name in RETURN_STEPS],
    ]
}
UNPAID_ENDS = frozenset({S.PAYMENT_FAILED, S.CANCELLED, S.EXPIRED})


def payment_grace() -> timedelta:
    """How long a payment may be in flight before the reconciler asks the gateway how it ended."""
    return timedelta(seconds=getattr(settings, "PAYMENT_GRACE_SECONDS", 120))


def open_order(*, awaiting_family: bool = False, actor=None, source: str = Source.SHOPPER, **fields) -> Order:
    """Create an order in its first status (inside placement's transaction) and log that it was placed."""
    status = S.AWAITING_FAMILY if awaiting_family else S.PENDING_PAYMENT
    if status == S.PENDING_PAYMENT:
        fields.setdefault("reconcile_after", timezone.now() + payment_grace())
    order = Order.objects.create(status=status, **fields)
    OrderEvent.objects.create(
        order=order,
        transition="place",
        from_status="",
        to_status=status,
        source=source,
        actor=actor if getattr(actor, "pk", None) else None,
    )
    return order


def move(
    order: Order,
    name: str,
    *,
    source: str,
    actor=None,
    note: str = "",
    data: dict | None = None,
    only_from: Set | None = None,
    now: datetime | None = None,
    **fields,
) -> Order:
    """Apply transition `name` to `order` (see the module docstring). `only_from` narrows the states it may leave
    from (family: never cancel an order whose payment has started). Extra `fields` are saved with the move.
    Returns the locked, current order; raises TransitionRefused."""
    return _apply(
        order, name, source=source, actor=actor, note=note, data=data, only_from=only_from, now=now, **fields
    )[0]


def _apply(
    order: Order,
    name: str,
    *,
    source: str,
    actor=None,
    note: str = "",
    data: dict | None = None,
    only_from: Set | None = None,
    now: datetime | None = None,
    **fields,
) -> tuple[Order, bool]:
    transition = TRANSITIONS[name]
    sources = transition.sources & only_from if only_from is not None else transition.sources
    with transaction.atomic():
        locked = Order.objects.select_for_update().get(pk=order.pk)
        if transition.keeps_status:
            if locked.status not in sources:
                raise TransitionRefused(locked, name)
            for field, value in fields.items():  # e.g. the first parcel's time on a partial shipment
                setattr(locked, field, value)
            if fields:
                locked.save(update_fields=sorted(fields))
            OrderEvent.objects.create(
                order=locked,
                transition=name,
                from_status=locked.status,
                to_status=locked.status,
                source=source,
                actor=actor if getattr(actor, "pk", None) else None,
                note=note[:250],
                data=data or {},
                at=now or timezone.now(),
            )
            return locked, True
        if locked.status == transition.target:
            _copy(locked, order)
            return locked, False
        if locked.status not in sources:
            raise TransitionRefused(locked, name)
        previous = locked.status
        locked.status = transition.target
        changed = {"status", *fields}
        for field, value in fields.items():
            setattr(locked, field, value)
        if transition.stamp:
            setattr(locked, transition.stamp, now or timezone.now())
            changed.add(transition.stamp)
        if transition.target != S.PENDING_PAYMENT and transition.target != previous:
            locked.reconcile_after = None  # nothing left to ask the gateway about
            changed.add("reconcile_after")
        elif transition.target == S.PENDING_PAYMENT:
            locked.reconcile_after = (now or timezone.now()) + payment_grace()
            changed.add("reconcile_after")
        locked.save(update_fields=sorted(changed))
        OrderEvent.objects.create(
            order=locked,
            transition=name,
            from_status=previous,
            to_status=locked.status,
            source=source,
            actor=actor if getattr(actor, "pk", None) else None,
            note=note[:250],
            data=data or {},
            at=now or timezone.now(),
        )
        if transition.releases_stock:
            stock.release(locked)
        transaction.on_commit(
            lambda: order_changed.send(sender=Order, order=locked, transition=name, source=source)
        )
    _copy(locked, order)
    return locked, True


def try_move(order: Order, name: str, **kwargs) -> tuple[Order, bool]:
    """`move`, but a refusal is an answer rather than an error: (order as it now is, moved by this call)."""
    try:
        return _apply(order, name, **kwargs)
    except TransitionRefused as refused:
        return refused.order, False


def _copy(source: Order, target: Order) -> None:
    if target is not source:
        target.refresh_from_db()


# --- named transitions: the verbs the rest of the project calls -------------------------------------------


def start_payment(order: Order, *, actor=None, source: str = Source.PAYER, **fields) -> Order:
    return move(order, "start_payment", actor=actor, source=source, **fields)


def pay(order: Order, *, source: str = Source.GATEWAY, note: str = "") -> Order:
    return move(order, "pay", source=source, note=note)


def ended_unpaid(message: Said | str) -> dict[str, Any]:
    """The event data and order fields for an order closed unpaid with `message` (payments and the reconciler
    move through `try_move` with these too): the shopper reads it in their language, the admin in the shop's."""
    said = Said.of(message)
    if not said:
        return {"data": None}
    return {
        "data": {"said": said.as_data()},
        "failure": said.as_data(),
        "failure_message": said.for_log()[:250],
    }


def fail_payment(order: Order, *, message: Said | str, source: str = Source.GATEWAY) -> Order:
    return move(order, "fail_payment", source=source, **ended_unpaid(message))


def cancel(
    order: Order,
    *,
    actor=None,
    source: str = Source.SHOPPER,
    message: Said | str = "",
    only_from: Set | None = None,
) -> Order:
    return move(order, "cancel", actor=actor, source=source, only_from=only_from, **ended_unpaid(message))


def expire(
    order: Order, *, message: Said | str, source: str = Source.SYSTEM, now: datetime | None = None
) -> Order:
    return move(order, "expire", source=source, now=now, **ended_unpaid(message))


def ship(order: Order, *, actor=None, note: str = "") -> Order:
    return move(order, "ship", actor=actor, source=Source.MERCHANT, note=note)


def deliver(order: Order, *, actor=None, note: str = "") -> Order:
    return move(order, "deliver", actor=actor, source=Source.MERCHANT, note=note)


def schedule_check(
    order: Order, *, after: timedelta, now: datetime | None = None, status: str = S.PENDING_PAYMENT
) -> None:
    """Ask the gateway about this order again later: backoff while a provider does not answer, or (with
    `status=EXPIRED`) the reconciler's second look at an order it closed as uncharged."""
    Order.objects.filter(pk=order.pk, status=status).update(
        reconcile_after=(now or timezone.now()) + after, reconcile_tries=order.reconcile_tries + 1
    )
    order.reconcile_tries += 1
