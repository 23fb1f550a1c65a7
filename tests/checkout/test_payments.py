"""Collecting payment: paid, declined (stock back once), timeouts reconciled, retries never double-charge."""

from __future__ import annotations

from decimal import Decimal

import pytest

from storefront.checkout import payments
from storefront.checkout.gateways.base import GatewayTimeout, PaymentDeclined, PaymentError
from storefront.checkout.models import Order, Payment
from storefront.sandbox import models as sandbox_models
from storefront.sandbox.card import SandboxCardGateway


def stock_of(product) -> int:
    product.refresh_from_db()
    return product.stock


def gateway_charges() -> list[bool]:
    charges = sandbox_models.SandboxCardCharge.objects.filter(kind="charge")
    return list(charges.values_list("succeeded", flat=True))


def test_approved_card_pays_the_order(place, product, tokenize):
    order, _ = place((product, 2))
    order = payments.collect(order, tokenize())
    assert order.status == Order.Status.PAID and order.paid_at is not None
    payment = order.payments.get()
    assert (payment.status, payment.amount, payment.kind) == (Payment.Status.SUCCEEDED, order.total, "charge")
    assert payment.reference.startswith("ch_")
    assert gateway_charges() == [True]
    assert stock_of(product) == 3  # reserved units stay sold


@pytest.mark.parametrize(
    ("number", "message"),
    [("4000000000000002", "Your card was declined"), ("4000000000009995", "not enough funds")],
)
def test_decline_fails_the_order_and_releases_stock_once(place, product, tokenize, number, message):
    order, _ = place((product, 2))
    assert stock_of(product) == 3
    order = payments.collect(order, tokenize(number))
    assert order.status == Order.Status.PAYMENT_FAILED
    assert message in order.failure_message and "not been charged" in order.failure_message
    assert order.stock_released
    assert stock_of(product) == 5
    assert not Payment.objects.filter(status=Payment.Status.SUCCEEDED).exists()
    assert order.payments.get().status == Payment.Status.DECLINED
    # Retrying the same order changes nothing: no second release, no charge.
    again = payments.collect(order, tokenize())
    assert again.status == Order.Status.PAYMENT_FAILED
    assert stock_of(product) == 5
    assert gateway_charges() == [False]


def test_timeout_without_charge_fails_and_releases_stock(place, product, tokenize):
    order, _ = place((product, 1))
    order = payments.collect(order, tokenize("4000000000000119"))
    assert order.status == Order.Status.PAYMENT_FAILED
    assert "not been charged" in order.failure_message
    assert stock_of(product) == 5
    assert gateway_charges() == []
    assert not Payment.objects.filter(status=Payment.Status.SUCCEEDED).exists()


def test_timeout_after_charge_is_reconciled_to_paid_with_one_charge(place, product, tokenize):
    order, _ = place((product, 1))
    order = payments.collect(order, tokenize("4000000000003220"))
    assert order.status == Order.Status.PAID
    assert gateway_charges() == [True]
    assert Payment.objects.get().status == Payment.Status.SUCCEEDED
    assert stock_of(product) == 4
    assert not order.stock_released


def test_collect_twice_charges_once(place, product, tokenize):
    order, _ = place((product, 1))
    token = tokenize()
    payments.collect(order, token)
    payments.collect(Order.objects.get(pk=order.pk), token)
    stale = Order.objects.get(pk=order.pk)
    stale.status = Order.Status.PENDING_PAYMENT  # a worker holding an old copy of the order
    payments.collect(stale, token)
    assert gateway_charges() == [True]
    assert Payment.objects.count() == 1


def test_retry_with_the_same_checkout_key_never_charges_twice(place, product, tokenize):
    token = tokenize()
    for _attempt in range(3):
        order, created = place((product, 1), key="checkout-1")
        if created:
            payments.collect(order, token)
        else:
            payments.collect(order, token)  # even a careless caller collecting again
    assert Order.objects.count() == 1
    assert gateway_charges() == [True]
    assert stock_of(product) == 4


def test_a_declined_charge_seen_again_never_marks_the_order_paid(place, product, tokenize):
    """Two workers collect at once; the second sees the first's declined charge on the gateway."""
    order, _ = place((product, 2))
    token = tokenize("4000000000000002")
    with pytest.raises(PaymentDeclined):
        SandboxCardGateway().charge(
            payments.ChargeRequest(
                token=token,
                amount=order.total,
                currency=order.currency,
                idempotency_key=payments.charge_key(order),
            )
        )
    order = payments.collect(order, token)
    assert order.status == Order.Status.PAYMENT_FAILED
    assert not Payment.objects.filter(status=Payment.Status.SUCCEEDED).exists()
    assert stock_of(product) == 5


def test_reconcile_paid_order_stays_paid(place, product, tokenize):
    order, _ = place((product, 1))
    order = payments.collect(order, tokenize())
    order = payments.reconcile(order)
    assert order.status == Order.Status.PAID
    assert stock_of(product) == 4
    assert not order.stock_released


def test_reconcile_after_a_failed_order_releases_nothing_twice(place, product, tokenize):
    order, _ = place((product, 2))
    order = payments.collect(order, tokenize("4000000000000119"))
    payments.reconcile(order)
    payments.reconcile(order)
    assert stock_of(product) == 5


def test_unreachable_gateway_during_reconcile_keeps_the_order_pending(place, product, monkeypatch):
    order, _ = place((product, 1))

    def unreachable(self, key):
        raise PaymentError("down")

    monkeypatch.setattr(SandboxCardGateway, "lookup", unreachable)
    order = payments.reconcile(order)
    assert order.status == Order.Status.PENDING_PAYMENT
    assert Payment.objects.get().status == Payment.Status.UNKNOWN
    assert stock_of(product) == 4  # the reservation holds until the answer is known


def test_gateway_timeout_class_is_a_payment_error():
    assert issubclass(GatewayTimeout, PaymentError)


def test_refund_is_idempotent(place, product, tokenize):
    order, _ = place((product, 2))
    order = payments.collect(order, tokenize())
    assert payments.refund(order) is True
    assert payments.refund(order) is True
    refunds = Payment.objects.filter(kind=Payment.Kind.REFUND)
    assert refunds.count() == 1
    assert refunds.get().amount == order.total == Decimal("11.99")
    assert sandbox_models.SandboxCardCharge.objects.filter(kind="refund").count() == 1


def test_refund_without_a_successful_charge(place, product, tokenize):
    order, _ = place((product, 1))
    order = payments.collect(order, tokenize("4000000000000002"))
    assert payments.refund(order) is False
    assert not sandbox_models.SandboxCardCharge.objects.filter(kind="refund").exists()
