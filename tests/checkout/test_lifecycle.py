"""The order lifecycle (issue 11): named transitions, checked under a row lock, logged, idempotent; stock back
exactly once; and nothing outside `checkout/lifecycle.py` writes `Order.status`."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from storefront.checkout import lifecycle
from storefront.checkout.models import Order, OrderEvent

ROOT = Path(__file__).resolve().parents[2]


def stock_of(product) -> int:
    product.refresh_from_db()
    return product.stock


def test_placing_records_the_first_event_and_a_time_to_reconcile(place, product, user):
    order, _ = place((product, 2))
    event = order.events.get()
    assert (event.transition, event.from_status, event.to_status, event.source, event.actor) == (
        "place",
        "",
        Order.Status.PENDING_PAYMENT,
        OrderEvent.Source.SHOPPER,
        user,
    )
    assert order.reconcile_after is not None and order.reconcile_after > order.placed_at


def test_a_full_happy_life_is_logged_in_order(place, product, make_user):
    order, _ = place((product, 1))
    merchant = make_user(username="merchant")
    lifecycle.pay(order)
    lifecycle.ship(order, actor=merchant)
    lifecycle.deliver(order, actor=merchant)
    order.refresh_from_db()
    assert (
        order.status == Order.Status.DELIVERED and order.paid_at and order.shipped_at and order.delivered_at
    )
    assert [(e.transition, e.to_status) for e in order.events.all()] == [
        ("place", "pending_payment"),
        ("pay", "paid"),
        ("ship", "shipped"),
        ("deliver", "delivered"),
    ]
    assert order.events.get(transition="ship").actor == merchant
    assert order.reconcile_after is None  # nothing left to ask a gateway about


def test_a_repeated_transition_changes_nothing_and_logs_once(place, product):
    order, _ = place((product, 1))
    lifecycle.pay(order)
    paid_at = Order.objects.get(pk=order.pk).paid_at
    lifecycle.pay(order)
    assert Order.objects.get(pk=order.pk).paid_at == paid_at
    assert order.events.filter(transition="pay").count() == 1


def test_a_transition_from_the_wrong_status_is_refused_with_a_readable_message(place, product):
    order, _ = place((product, 1))
    with pytest.raises(lifecycle.TransitionRefused) as refused:
        lifecycle.ship(order)
    assert "waiting for payment" in str(refused.value)
    assert Order.objects.get(pk=order.pk).status == Order.Status.PENDING_PAYMENT
    lifecycle.cancel(order, message="changed my mind")
    moved_order, moved = lifecycle.try_move(order, "pay", source=OrderEvent.Source.GATEWAY)
    assert not moved and moved_order.status == Order.Status.CANCELLED


@pytest.mark.parametrize("transition", ["cancel", "expire", "fail_payment"])
def test_ending_unpaid_puts_stock_back_exactly_once(place, product, transition):
    order, _ = place((product, 2))
    assert stock_of(product) == 3
    kwargs = {} if transition == "cancel" else {"note": "x"}
    lifecycle.move(order, transition, source=OrderEvent.Source.SYSTEM, **kwargs)
    lifecycle.move(order, transition, source=OrderEvent.Source.SYSTEM, **kwargs)
    assert stock_of(product) == 5
    order.refresh_from_db()
    assert order.stock_released
    with pytest.raises(lifecycle.TransitionRefused):
        lifecycle.move(
            order, "expire" if transition != "expire" else "cancel", source=OrderEvent.Source.SYSTEM
        )
    assert stock_of(product) == 5


def test_family_orders_start_awaiting_the_family_and_start_payment_from_there(user, address, product):
    from storefront.checkout import placement

    order, _ = placement.place_order(
        user=user,
        lines=[placement.WantedLine(product.pk, 1)],
        address=address.as_snapshot(),
        idempotency_key="fam-1",
        awaiting_family=True,
    )
    assert order.status == Order.Status.AWAITING_FAMILY and order.reconcile_after is None
    lifecycle.start_payment(order, payment_method_label="Visa of Jin")
    order.refresh_from_db()
    assert order.status == Order.Status.PENDING_PAYMENT and order.payment_method_label == "Visa of Jin"
    assert order.reconcile_after is not None


def test_only_family_may_narrow_cancel_to_orders_whose_payment_has_not_started(place, product):
    order, _ = place((product, 1))  # pending payment: a payment may be in flight
    _o, moved = lifecycle.try_move(
        order, "cancel", source=OrderEvent.Source.SYSTEM, only_from=frozenset({Order.Status.AWAITING_FAMILY})
    )
    assert not moved and Order.objects.get(pk=order.pk).status == Order.Status.PENDING_PAYMENT


def test_listeners_hear_each_transition_after_commit(place, product, django_capture_on_commit_callbacks):
    heard = []

    def listen(sender, order, transition, source, **kwargs):
        heard.append((order.number, transition, source))

    lifecycle.order_changed.connect(listen)
    try:
        order, _ = place((product, 1))
        with django_capture_on_commit_callbacks(execute=True):
            lifecycle.pay(order, source=OrderEvent.Source.RECONCILER)
    finally:
        lifecycle.order_changed.disconnect(listen)
    assert heard == [(order.number, "pay", "reconciler")]


# --- nothing else writes the status ------------------------------------------------------------------------

OTHER_STATUSES = re.compile(
    r"Payment|PayRequest|FamilyLink|ReturnRequest|Refund|Shipment|Wallet|Sandbox|Charge|Link"
)
WRITE_CALLS = {"update", "create", "get_or_create", "update_or_create", "bulk_create", "Order"}


def status_writes(source: str) -> list[str]:
    """Every place in `source` that writes an order's status: `x.status = ...` with an order status or an
    order-named target, and `status=` given to a create/update call on orders."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if isinstance(target, ast.Attribute) and target.attr == "status":
                    text = ast.unparse(target.value) + " = " + ast.unparse(node.value)
                    if not OTHER_STATUSES.search(text) and ("Order" in text or "order" in text.lower()):
                        found.append(f"{node.lineno}: {text}")
        elif isinstance(node, ast.Call):
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            for keyword in node.keywords:
                if keyword.arg in ("status", "defaults") and name in WRITE_CALLS:
                    text = ast.unparse(node)
                    if keyword.arg == "defaults" and "'status'" not in text and '"status"' not in text:
                        continue
                    if not OTHER_STATUSES.search(text) and "order" in text.lower():
                        found.append(f"{node.lineno}: {text[:120]}")
    return found


def test_no_module_but_the_lifecycle_writes_an_order_status():
    offenders = []
    for path in sorted((ROOT / "storefront").rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        if relative == "storefront/checkout/lifecycle.py" or "/migrations/" in relative:
            continue
        offenders += [f"{relative}:{hit}" for hit in status_writes(path.read_text())]
    assert offenders == []


@pytest.mark.parametrize(
    "line",
    [
        "order.status = Order.Status.PAID",
        "locked.status = 'paid'  # on an order",
        "Order.objects.filter(pk=1).update(status=Order.Status.PAID)",
        "Order.objects.create(user=u, status=Order.Status.PAID)",
        "Order.objects.update_or_create(pk=1, defaults={'status': 'paid'})",
    ],
)
def test_the_status_scan_catches_a_direct_write(line):
    assert status_writes(line.replace("locked", "order"))


@pytest.mark.parametrize(
    "line",
    [
        "Order.objects.filter(status=Order.Status.PAID)",
        "pay_request.status = PayRequest.Status.APPROVED",
        "Payment.objects.filter(pk=1).update(status=Payment.Status.CANCELLED)",
    ],
)
def test_the_status_scan_leaves_reads_and_other_models_alone(line):
    assert status_writes(line) == []
