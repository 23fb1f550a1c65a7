"""Order totals: each line rounded, shipping by the destination's rule, duty per line and import tax above the
de minimis thresholds, in any currency. Pure rules: no database (the rules are passed in)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from storefront.markets.landed_cost import HOME_RULES, DestinationRules
from storefront.markets.pricing import totals_for

D = Decimal
KOREA = DestinationRules(
    "KR",
    shipping_fee=D("9.00"),
    free_shipping_from=D("150.00"),
    duty_free_up_to=D("150.00"),
    default_duty_rate=D("8"),
    tax_free_up_to=D("150.00"),
    import_tax_rate=D("10"),
    delivery_min_days=5,
    delivery_max_days=8,
    duty_rates={7: D("30"), 9: D("0")},
)


def test_totals_are_sums_of_rounded_lines():
    totals = totals_for([(D("0.335"), 3), (D("1.10"), 1)], rules=HOME_RULES)  # 1.005 rounds half up to 1.01
    assert totals.subtotal == D("2.11")
    assert totals.shipping == D("4.99")
    assert totals.total == D("7.10")
    assert totals.currency == "USD"
    assert (totals.duties, totals.taxes) == (D("0.00"), D("0.00"))
    assert not totals.is_international


def test_home_shipping_threshold():
    assert totals_for([(D("50.00"), 1)], rules=HOME_RULES).shipping == D("0.00")
    assert totals_for([(D("49.99"), 1)], rules=HOME_RULES).shipping == D("4.99")


def test_empty_order_costs_nothing_anywhere():
    for rules in (HOME_RULES, KOREA):
        totals = totals_for([], rules=rules)
        assert (totals.subtotal, totals.shipping, totals.total) == (D("0.00"),) * 3


def test_below_de_minimis_only_shipping_is_added():
    totals = totals_for([(D("40.00"), 3, 7)], rules=KOREA)  # 120 USD of fruit: under the 150 USD threshold
    assert (totals.subtotal, totals.shipping, totals.duties, totals.taxes) == (D("120.00"), D("9.00"), 0, 0)
    assert totals.total == D("129.00")
    assert totals.duty_exempt and totals.tax_exempt
    assert (totals.delivery_min_days, totals.delivery_max_days) == (5, 8)


def test_at_the_threshold_is_still_exempt():
    totals = totals_for([(D("150.00"), 1, 7)], rules=KOREA)
    assert totals.duties == totals.taxes == D("0.00") and totals.duty_exempt


def test_above_de_minimis_duty_per_category_and_tax_on_goods_shipping_and_duty():
    lines = [(D("100.00"), 1, 7), (D("50.00"), 1, 9), (D("25.00"), 1, None)]  # fruit 30%, 0%, default 8%
    totals = totals_for(lines, rules=KOREA)
    assert totals.subtotal == D("175.00")
    assert totals.shipping == D("0.00")  # free from 150
    assert totals.duties == D("30.00") + D("0.00") + D("2.00")
    assert totals.taxes == D("20.70")  # 10% of 175 + 0 + 32
    assert totals.total == D("227.70") == totals.total_base
    assert not totals.duty_exempt and not totals.tax_exempt and totals.tax_rate == D("10")


def test_display_currency_rounds_each_part_then_sums():
    lines = [(D("100.00"), 1, 7), (D("50.01"), 1, None)]
    totals = totals_for(lines, "KRW", D("1385"), rules=KOREA)
    assert totals.subtotal == D("138500") + D("69264")  # 50.01 x 1385 = 69263.85 -> 69264
    assert totals.duties == D("41550") + D("5541")  # 30% of 138500; 8% of 69264 = 5541.12 -> 5541
    assert totals.taxes == D("25486")  # 10% of 207764 + 0 + 47091 = 25485.5 -> 25486 (half up)
    assert totals.total == totals.subtotal + totals.shipping + totals.duties + totals.taxes
    assert totals.total_base == totals_for(lines, rules=KOREA).total
    assert totals.exchange_rate == D("1385")


@pytest.mark.parametrize("currency", ["KRW", "EUR"])
def test_thresholds_do_not_depend_on_the_display_currency(currency):
    # 149.99 USD is under the threshold whatever it converts to
    totals = totals_for(
        [(D("149.99"), 1, 7)], currency, D("1385") if currency == "KRW" else D("0.92"), rules=KOREA
    )
    assert totals.duties == totals.taxes == 0


def test_the_quote_carries_each_line_in_input_order_and_its_totals_are_their_sums():
    lines = [(D("50.01"), 2, None), (D("100.00"), 1, 7)]
    totals = totals_for(lines, "KRW", D("1385"), rules=KOREA)
    assert [(ln.unit_price, ln.quantity, ln.line_total, ln.duty) for ln in totals.lines] == [
        (D("69264"), 2, D("138528"), D("11082")),  # 8% of 138528 = 11082.24
        (D("138500"), 1, D("138500"), D("41550")),  # 30%
    ]
    assert totals.subtotal == sum(ln.line_total for ln in totals.lines)
    assert totals.duties == sum(ln.duty for ln in totals.lines)


def test_line_amounts_carry_no_duty_under_the_de_minimis():
    totals = totals_for([(D("40.00"), 3, 7)], rules=KOREA)
    assert [(ln.unit_price, ln.line_total, ln.duty) for ln in totals.lines] == [(D("40.00"), D("120.00"), 0)]


def test_free_shipping_remaining_is_the_gap_to_the_threshold_in_the_shown_currency():
    assert totals_for([(D("11.99"), 2)], rules=HOME_RULES).free_shipping_remaining == D("26.02")
    assert totals_for([(D("40.00"), 3, 7)], "KRW", D("1385"), rules=KOREA).free_shipping_remaining == D(
        "41550"
    )
    assert totals_for([(D("50.00"), 1)], rules=HOME_RULES).free_shipping_remaining is None  # already free
    assert totals_for([], rules=HOME_RULES).free_shipping_remaining is None
    never_free = DestinationRules("XX", free_shipping_from=None)
    assert totals_for([(D("10.00"), 1)], rules=never_free).free_shipping_remaining is None
