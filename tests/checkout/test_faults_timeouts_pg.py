"""Fault tests: gateway timeouts (both timeout test cards), a wallet provider the shopper never comes back from
and one that stops answering; the money-and-stock invariant holds after the reconciler runs with a moved clock.
Also: the invariant checker itself catches each kind of breakage (it is not a test that cannot fail)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from unittest import mock

import faultkit
import pytest
from django.utils import timezone

from storefront.checkout import payments, reconciler
from storefront.checkout.gateways.base import GatewayTimeout
from storefront.checkout.models import Order
from storefront.markets import payment_methods

pytestmark = [pytest.mark.postgres, pytest.mark.faults, pytest.mark.django_db(transaction=True)]

TIMES_OUT = "4000000000000119"  # not charged
TIMES_OUT_CHARGED = "4000000000003220"  # charged, then no answer


def test_both_timeout_cards_then_the_reconciler(place, make_product, tokenize):
    product = make_product("Slow Sloes", stock=10)
    initial = faultkit.baseline()
    not_charged, _ = place((product, 2))
    charged, _ = place((product, 1))
    not_charged = payments.collect(not_charged, tokenize(TIMES_OUT))
    charged = payments.collect(charged, tokenize(TIMES_OUT_CHARGED))
    # Both ask the gateway at once on the timeout: it knows which one charged.
    assert charged.status == Order.Status.PAID
    assert not_charged.status == Order.Status.PAYMENT_FAILED and not_charged.stock_released
    later = timezone.now() + timedelta(minutes=5)
    reconciler.run(now=later)
    report = faultkit.assert_invariant(initial, now=later, label="gateway timeouts (both cards)")
    assert (report["charges"], report["stranded"]) == (1, 0)
    product.refresh_from_db()
    assert product.stock == 9


def test_timeout_with_the_gateway_unreachable_until_later(place, make_product, tokenize):
    """The charge times out after charging and the lookup fails too: the order waits (backoff), then the
    reconciler finds the charge once the gateway answers again."""
    product = make_product("Stuck Sultanas", stock=10)
    initial = faultkit.baseline()
    order, _ = place((product, 1))
    gateway = payments.get_gateway().__class__
    real_charge, real_lookup, charging = gateway.charge, gateway.lookup, []

    def charge(self, request):
        charging.append(1)  # the gateway's own replay check inside charge still works
        try:
            return real_charge(self, request)
        finally:
            charging.pop()

    def lookup(self, key):
        if charging:
            return real_lookup(self, key)
        raise GatewayTimeout("no answer")

    with mock.patch.object(gateway, "charge", charge), mock.patch.object(gateway, "lookup", lookup):
        order = payments.collect(order, tokenize(TIMES_OUT_CHARGED))
        assert order.status == Order.Status.PENDING_PAYMENT
        assert reconciler.run(now=timezone.now() + timedelta(minutes=3)) == 0  # still no answer: backoff
    later = timezone.now() + timedelta(hours=2)
    assert reconciler.run(now=later) == 1
    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    faultkit.assert_invariant(initial, now=later, label="timeout, gateway back later")


def test_wallet_shopper_never_returns(place, make_product, make_address, user):
    """The shopper leaves for the wallet page and never comes back; 30 minutes later the reconciler closes the
    payment at the provider and the order, stock back; a confirmation after that charges nothing."""
    from storefront.sandbox import wallets as test_wallets

    product = make_product("Lost Lychees", stock=10)
    initial = faultkit.baseline()
    order, _ = place((product, 3))
    assert payments.begin_redirect(order, payment_methods.get("alipay"), "/back/")
    soon = timezone.now() + timedelta(minutes=10)
    assert reconciler.run(now=soon) == 0  # the wallet page is still open: not due yet
    later = timezone.now() + timedelta(minutes=31)
    assert reconciler.run(now=later) == 1
    order.refresh_from_db()
    assert order.status == Order.Status.EXPIRED and order.stock_released
    wallet = faultkit.ledger_model("SandboxWalletCharge")
    charge = wallet.objects.get(idempotency_key=payments.charge_key(order))
    assert test_wallets.settle(charge.reference, wallet.Status.SUCCEEDED).status == "cancelled"
    report = faultkit.assert_invariant(initial, now=later, label="wallet, shopper never returns")
    assert report["charges"] == 0


def test_wallet_provider_never_answers_then_confirms(place, make_product):
    """The provider does not answer the reconciler at all (backoff, the order keeps its stock), then answers:
    the shopper had confirmed, so the order is paid, once."""
    from storefront.sandbox import wallets as test_wallets

    product = make_product("Quiet Quinces", stock=10)
    initial = faultkit.baseline()
    order, _ = place((product, 1))
    payments.begin_redirect(order, payment_methods.get("alipay"), "/back/")
    wallet = faultkit.ledger_model("SandboxWalletCharge")
    test_wallets.settle(wallet.objects.get().reference, wallet.Status.SUCCEEDED)
    provider = payments.get_redirect_gateway("test_wallets").__class__
    later = timezone.now() + timedelta(minutes=31)
    with mock.patch.object(provider, "lookup", side_effect=GatewayTimeout("no answer")):
        assert reconciler.run(now=later) == 0
    order.refresh_from_db()
    assert order.status == Order.Status.PENDING_PAYMENT and order.reconcile_tries == 1
    report = faultkit.check(initial, now=later)
    assert report["problems"]  # while the provider is silent, the charge has no paid order yet
    much_later = later + timedelta(hours=2)
    assert reconciler.run(now=much_later) == 1
    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    faultkit.assert_invariant(initial, now=much_later, label="wallet provider silent, then answers")


def test_the_checker_catches_each_breakage(place, make_product, tokenize):
    product = make_product("Checked Cherries", stock=10)
    initial = faultkit.baseline()
    order, _ = place((product, 2))
    order = payments.collect(order, tokenize())
    assert faultkit.check(initial)["problems"] == []
    card = faultkit.ledger_model("SandboxCardCharge")
    card.objects.create(
        idempotency_key="order-NOSUCH-charge",
        token="t",
        amount=Decimal("1.00"),
        currency="USD",
        reference="ch_stray",
        succeeded=True,
    )  # money with no order
    Order.objects.filter(pk=order.pk).update(status=Order.Status.EXPIRED)  # closed, stock and money kept
    product.stock -= 1
    product.save(update_fields=["stock"])  # a unit lost
    other, _ = place((product, 1))
    Order.objects.filter(pk=other.pk).update(reconcile_after=timezone.now() - timedelta(minutes=1))
    problems = "\n".join(faultkit.check(initial)["problems"])
    assert "order-NOSUCH-charge belongs to no order" in problems
    assert f"order {order.number} is expired: the gateways keep {order.total} in 1 charges" in problems
    assert f"order {order.number} is expired but still holds its stock" in problems
    assert f"product {product.pk}: stock" in problems
    assert f"order {other.number} stranded" in problems
