"""Fault tests for money going back (issue 15): partial refunds per line, a refund the gateway does not answer,
a return received twice; the money-and-stock invariant (tests/faultkit.py) holds after each, with amounts, not
just counts. And the checker catches a refund the shop's books and the gateway disagree on."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import faultkit
import pytest
from django.utils import timezone

from storefront.checkout import fulfilment, payments, reconciler, refunds, returns
from storefront.checkout.models import Order, Refund

pytestmark = [pytest.mark.postgres, pytest.mark.faults, pytest.mark.django_db(transaction=True)]


REFUND_TIMES_OUT = "4000000000005126"  # charges; its refunds happen but the answer is lost


@pytest.fixture
def card():
    return None


@pytest.fixture
def delivered_two_lines(place, make_product, tokenize, card):
    plums = make_product("Invariant Plums", price="4.00", stock=10)
    pears = make_product("Invariant Pears", price="2.50", stock=10)
    initial = faultkit.baseline()
    order, _ = place((plums, 3), (pears, 2))
    order = payments.collect(order, tokenize(card) if card else tokenize())
    fulfilment.deliver(fulfilment.ship(order, carrier="Post", tracking_number="T1"))
    order.refresh_from_db()
    return initial, order, plums, pears


def _line(order, product):
    return order.lines.get(product=product)


def test_partial_refunds_line_by_line_keep_the_books_and_the_ledger_equal(delivered_two_lines):
    initial, order, plums, pears = delivered_two_lines
    first = returns.request(order, quantities={_line(order, plums).pk: 1}, reason="damaged", kind="refund")
    returns.receive(first)
    returns.refund(first)
    order.refresh_from_db()
    assert order.status == Order.Status.DELIVERED  # a part went back; the order is still delivered
    report = faultkit.assert_invariant(initial, label="one unit of one line refunded")
    assert report["refunds"] == 1
    plums.refresh_from_db()
    assert plums.stock == 10 - 3 + 1  # the received unit is back on the shelf, once

    rest = returns.request(
        order,
        quantities={_line(order, plums).pk: 2, _line(order, pears).pk: 2},
        reason="damaged",
        kind="refund",
    )
    returns.receive(rest)
    returns.refund(rest)
    order.refresh_from_db()
    assert order.status == Order.Status.REFUNDED
    report = faultkit.assert_invariant(initial, label="the rest refunded")
    assert report["refunds"] == 2


@pytest.mark.parametrize("card", [REFUND_TIMES_OUT])
def test_a_partial_refund_the_gateway_does_not_answer_is_settled_later(delivered_two_lines):
    initial, order, plums, _pears = delivered_two_lines
    ret = returns.request(order, quantities={_line(order, plums).pk: 2}, reason="damaged", kind="refund")
    returns.receive(ret)
    refund = returns.refund(ret)
    refund.refresh_from_db()
    assert refund.status == Refund.Status.UNKNOWN  # the gateway gave the money back; its answer was lost
    card = faultkit.ledger_model("SandboxCardCharge")
    assert card.objects.filter(kind="refund").count() == 1
    later = timezone.now() + timedelta(hours=1)
    problems = "\n".join(faultkit.check(initial, now=later)["problems"])
    assert "still waits for the gateway" in problems  # not settled yet: the checker says so
    reconciler.run(now=later)
    refunds.run(now=later)
    refund.refresh_from_db()
    assert refund.status == Refund.Status.SUCCEEDED
    assert card.objects.filter(kind="refund").count() == 1  # found by its key, not sent twice
    faultkit.assert_invariant(initial, now=later, label="partial refund, gateway silent, settled later")


def test_the_checker_catches_refunds_the_books_and_the_gateway_disagree_on(delivered_two_lines):
    initial, order, plums, _pears = delivered_two_lines
    ret = returns.request(order, quantities={_line(order, plums).pk: 1}, reason="damaged", kind="refund")
    returns.refund(ret)
    assert faultkit.check(initial)["problems"] == []
    refund = Refund.objects.get(order=order)
    card = faultkit.ledger_model("SandboxCardCharge")
    charge = card.objects.get(kind="charge")
    # the gateway gives back more than the books say, by a key the books do not know
    card.objects.create(
        idempotency_key=f"order-{order.number}-refund-stray",
        token="t",
        amount=Decimal("1.00"),
        currency=charge.currency,
        reference="re_stray",
        succeeded=True,
        kind="refund",
        original=charge.reference,
    )
    Refund.objects.filter(pk=refund.pk).update(amount=refund.amount - 1)  # the books say less went back
    problems = "\n".join(faultkit.check(initial)["problems"])
    assert f"order-{order.number}-refund-stray, which the shop's books do not know" in problems
    assert f"refund {refund.idempotency_key} succeeded in the shop's books" in problems
    assert f"order {order.number} is delivered: the gateways keep" in problems
