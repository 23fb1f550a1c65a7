"""Refunds that move money: amounts in the order's currency (KRW with duty and tax), the gateway's answer
settled once, a timeout reconciled like a charge timeout, a refused refund leaving its units refundable."""

from __future__ import annotations

from decimal import Decimal
from unittest import mock

import pytest
from django.core import mail

from storefront.checkout import placement, refunds, returns
from storefront.checkout.gateways.base import GatewayTimeout, PaymentDeclined
from storefront.checkout.models import Order, Refund
from storefront.sandbox.card import SandboxCardGateway
from storefront.sandbox.models import SandboxCardCharge

REFUND_TIMES_OUT = "4000000000005126"


def gateway_refunds() -> list[Decimal]:
    return list(SandboxCardCharge.objects.filter(kind="refund").values_list("amount", flat=True))


def ask(order, quantities=None, reason="changed_mind"):
    quantities = quantities or {ln.pk: ln.quantity for ln in order.lines.all()}
    return returns.request(order, quantities=quantities, reason=reason, kind="refund")


@pytest.fixture
def korean_order(user, make_product, category, tokenize):
    """A KRW order to Korea above the de minimis: duty (fruit 30%) and import tax on every line."""
    from storefront.checkout import fulfilment, payments

    def make(*pairs):
        snapshot = {
            "full_name": "Kim",
            "street_address": "1 Sejong-daero",
            "city": "Jongno-gu",
            "country_area": "Seoul",
            "postal_code": "03154",
            "country": "KR",
        }
        order, _ = placement.place_order(
            user=user,
            lines=[placement.WantedLine(p.pk, q) for p, q in pairs],
            address=snapshot,
            idempotency_key=f"kr-{pairs[0][0].pk}",
            currency="KRW",
        )
        order = payments.collect(order, tokenize())
        fulfilment.deliver(fulfilment.ship(order, carrier="CJ", tracking_number="K1"))
        order.refresh_from_db()
        return order

    return make


def test_a_korean_return_refunds_whole_won_with_duty_and_tax(korean_order, make_product):
    melon = make_product("Melon", price="79.99", stock=10)
    plum = make_product("Plum", price="19.95", stock=10)
    order = korean_order((melon, 2), (plum, 1))
    assert order.currency == "KRW" and order.duties and order.taxes
    melons, plums = order.lines.all()
    first = returns.refund(ask(order, {melons.pk: 1}), {melons.pk: 1})
    assert first.amount == first.amount.to_integral_value()
    assert first.goods == melons.unit_price and first.shipping == 0 and first.duties == melons.duty / 2
    rest = returns.refund(ask(order, {melons.pk: 1, plums.pk: 1}))
    assert first.amount + rest.amount == order.total  # the pieces add up to exactly what was charged
    assert gateway_refunds() == [first.amount, rest.amount]
    order.refresh_from_db()
    assert order.status == Order.Status.REFUNDED


def test_a_refund_that_times_out_is_reconciled_like_a_charge(
    delivered, product, clock, django_capture_on_commit_callbacks
):
    order = delivered((product, 2), card=REFUND_TIMES_OUT)
    ret = ask(order, reason="damaged")
    returns.receive(ret)
    with django_capture_on_commit_callbacks(execute=True):
        refund = returns.refund(ret)
    assert refund.status == Refund.Status.UNKNOWN and refund.tries == 1
    assert gateway_refunds() == [order.total]  # the gateway did refund; only its answer was lost
    order.refresh_from_db()
    assert order.status == Order.Status.DELIVERED and not any(
        "Refund for order" in m.subject for m in mail.outbox
    )
    assert refunds.run() == 0  # not yet due: asked again after the backoff
    clock.advance(minutes=3)
    with django_capture_on_commit_callbacks(execute=True):
        assert refunds.run() == 1
    refund.refresh_from_db()
    order.refresh_from_db()
    ret.refresh_from_db()
    assert refund.status == Refund.Status.SUCCEEDED and gateway_refunds() == [order.total]
    assert order.status == Order.Status.REFUNDED and ret.status == "refunded"
    assert [m.subject for m in mail.outbox].count(f"Refund for order {order.number}") == 1
    assert refunds.run() == 0


def test_a_refund_that_never_reached_the_gateway_is_sent_again_with_the_same_key(delivered, product, clock):
    order = delivered((product, 1))
    ret = ask(order)
    with mock.patch.object(SandboxCardGateway, "refund", side_effect=GatewayTimeout("slow")):
        refund = returns.refund(ret)
    assert refund.status == Refund.Status.UNKNOWN and gateway_refunds() == []
    clock.advance(minutes=3)
    refunds.run()
    refund.refresh_from_db()
    assert refund.status == Refund.Status.SUCCEEDED and gateway_refunds() == [order.total]
    assert SandboxCardCharge.objects.get(kind="refund").idempotency_key == refund.idempotency_key


def test_a_refused_refund_leaves_its_units_refundable(delivered, product):
    order = delivered((product, 1))
    ret = ask(order)
    with mock.patch.object(SandboxCardGateway, "refund", side_effect=PaymentDeclined("no")):
        failed = returns.refund(ret)
    assert failed.status == Refund.Status.FAILED
    assert order.events.filter(transition="refund_failed").exists()
    again = returns.refund(ret)
    assert again.status == Refund.Status.SUCCEEDED and gateway_refunds() == [order.total]


def test_the_sandbox_refuses_more_than_was_charged_in_total(delivered, product):
    order = delivered((product, 1))
    charge = refunds.charge_of(order)
    gateway = SandboxCardGateway()
    gateway.refund(charge.reference, order.total - Decimal("0.50"), "USD", "a")
    with pytest.raises(PaymentDeclined):
        gateway.refund(charge.reference, Decimal("1.00"), "USD", "b")
    assert gateway.refund(charge.reference, Decimal("0.50"), "USD", "c").amount == Decimal("0.50")


def test_refund_emails_go_to_the_shopper_in_their_language(
    delivered, product, user, django_capture_on_commit_callbacks
):
    user.preferred_language = "ko"
    user.save()
    order = delivered((product, 1))
    with django_capture_on_commit_callbacks(execute=True):
        returns.refund(ask(order))
    refund_mail = [m for m in mail.outbox if order.number in m.subject and "환불" in m.subject]
    assert len(refund_mail) == 1 and refund_mail[0].to == [user.email]


def test_an_unpaid_order_has_nothing_to_refund(place, product):
    order, _ = place((product, 1))
    with pytest.raises(refunds.RefundRefused):
        refunds.issue(order, {order.lines.get().pk: 1})


def test_a_cancelled_order_cannot_be_refunded_again(place, product, tokenize):
    from storefront.checkout import lifecycle, payments

    order, _ = place((product, 1))
    order = payments.collect(order, tokenize())
    payments.refund(order, "cancel")
    lifecycle.cancel(order, source="merchant")
    with pytest.raises(refunds.RefundRefused):
        refunds.issue(order, {order.lines.get().pk: 1})
    assert gateway_refunds() == [order.total]
