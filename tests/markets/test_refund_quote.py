"""The refund rule (markets/pricing.refund_quote): goods, duty per line, shipping once when the shop is at fault or
the order comes back whole, import tax on the same base; every part in the currency's minor unit."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from storefront.markets.landed_cost import DestinationRules
from storefront.markets.pricing import RefundableLine, refund_quote, totals_for

KOREA = DestinationRules(
    "KR",
    shipping_fee=D("9.00"),
    free_shipping_from=D("500.00"),
    duty_free_up_to=D("150.00"),
    default_duty_rate=D("8"),
    tax_free_up_to=D("150.00"),
    import_tax_rate=D("10"),
    delivery_min_days=5,
    delivery_max_days=8,
    duty_rates={7: D("30")},
)
JAPAN = DestinationRules(
    "JP",
    shipping_fee=D("10.00"),
    free_shipping_from=D("500.00"),
    duty_free_up_to=D("66.00"),
    default_duty_rate=D("5"),
    tax_free_up_to=D("66.00"),
    import_tax_rate=D("10"),
    delivery_min_days=5,
    delivery_max_days=8,
)


def order_of(lines, currency, rate, rules):
    totals = totals_for(lines, currency, rate, rules=rules)
    return totals, [
        RefundableLine(i, ln.unit_price, ln.quantity, ln.duty) for i, ln in enumerate(totals.lines)
    ]


def quote(totals, lines, **kw):
    return refund_quote(
        lines,
        currency=totals.currency,
        order_shipping=totals.shipping,
        order_duties=totals.duties,
        order_taxes=totals.taxes,
        **kw,
    )


@pytest.mark.parametrize(
    ("currency", "rate", "rules"),
    [("USD", None, KOREA), ("KRW", D("1385"), KOREA), ("JPY", D("151.37"), JAPAN), ("EUR", D("0.92"), KOREA)],
)
def test_a_whole_return_gives_back_exactly_the_total(currency, rate, rules):
    totals, lines = order_of([(D("79.99"), 3, 7), (D("19.95"), 2, 8)], currency, rate, rules)
    assert totals.duties and totals.taxes  # above both de minimis limits
    whole = quote(totals, [ln._replace(refunding=ln.quantity) for ln in lines])
    assert whole.completes_order and whole.total == totals.total
    assert (whole.goods, whole.shipping, whole.duties, whole.taxes) == (
        totals.subtotal,
        totals.shipping,
        totals.duties,
        totals.taxes,
    )


@pytest.mark.parametrize("currency", ["KRW", "JPY"])
def test_zero_minor_unit_currencies_refund_whole_units(currency):
    rate, rules = (D("1385"), KOREA) if currency == "KRW" else (D("151.37"), JAPAN)
    totals, lines = order_of([(D("79.99"), 3, 7)], currency, rate, rules)
    one = quote(totals, [lines[0]._replace(refunding=1)])
    for part in (one.goods, one.duties, one.taxes, one.total):
        assert part == part.to_integral_value() and part.as_tuple().exponent == 0
    # Refunded one unit at a time, the pieces still add up to exactly what was paid.
    given, before, duty_before, taxes_before, shipping_before = D(0), 0, D(0), D(0), D(0)
    for _ in range(3):
        step = quote(
            totals,
            [lines[0]._replace(refunding=1, refunded=before, duty_refunded=duty_before)],
            shipping_refunded=shipping_before,
            taxes_refunded=taxes_before,
        )
        given += step.total
        before += 1
        duty_before += step.duties
        taxes_before += step.taxes
        shipping_before += step.shipping
    assert given == totals.total


def test_a_change_of_mind_on_part_keeps_shipping_a_fault_gives_it_back_once():
    totals, lines = order_of([(D("100.00"), 2, 8)], "USD", None, KOREA)
    assert totals.shipping == D("9.00") and totals.duties == D("16.00")
    part = [lines[0]._replace(refunding=1)]
    mind = quote(totals, part)
    assert (mind.goods, mind.shipping, mind.duties) == (D("100.00"), D("0.00"), D("8.00"))
    # tax: 10% of (200 + 9 + 16) = 22.50 charged; this refund's share is 22.50 x 108 / 225
    assert totals.taxes == D("22.50") and mind.taxes == D("10.80")
    fault = quote(totals, part, shop_fault=True)
    assert fault.shipping == D("9.00") and fault.taxes == D("11.70")
    again = quote(
        totals,
        [lines[0]._replace(refunding=1, refunded=1, duty_refunded=D("8.00"))],
        shipping_refunded=D("9.00"),
        taxes_refunded=D("11.70"),
        shop_fault=True,
    )
    assert again.shipping == D("0.00") and again.completes_order
    assert fault.total + again.total == totals.total


def test_under_the_de_minimis_there_is_no_duty_or_tax_to_refund():
    totals, lines = order_of([(D("10.00"), 1, 8)], "USD", None, KOREA)
    refund = quote(totals, [lines[0]._replace(refunding=1)])
    assert (refund.duties, refund.taxes, refund.total) == (D("0.00"), D("0.00"), totals.total)


def test_more_units_than_the_line_has_is_an_error():
    totals, lines = order_of([(D("10.00"), 1, 8)], "USD", None, KOREA)
    with pytest.raises(ValueError):
        quote(totals, [lines[0]._replace(refunding=2)])
