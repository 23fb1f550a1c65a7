"""Order totals: each line rounded, shipping free from the threshold. No database."""

from __future__ import annotations

from decimal import Decimal

from storefront.checkout.pricing import FREE_SHIPPING_FROM, STANDARD_SHIPPING, shipping_for, totals_for


def test_totals_are_sums_of_rounded_lines():
    totals = totals_for([(Decimal("0.335"), 3), (Decimal("1.10"), 1)])  # 1.005 rounds half up to 1.01
    assert totals.subtotal == Decimal("2.11")
    assert totals.shipping == STANDARD_SHIPPING
    assert totals.total == Decimal("7.10")
    assert totals.currency == "USD"


def test_shipping_threshold():
    assert shipping_for(FREE_SHIPPING_FROM) == Decimal("0.00")
    assert shipping_for(FREE_SHIPPING_FROM - Decimal("0.01")) == STANDARD_SHIPPING
    assert shipping_for(Decimal("0")) == Decimal("0.00")


def test_empty_order_costs_nothing():
    totals = totals_for([])
    assert (totals.subtotal, totals.shipping, totals.total) == (Decimal("0.00"),) * 3
