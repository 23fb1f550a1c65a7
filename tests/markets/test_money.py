"""Money: Decimal only, rounded half-up to each currency's minor unit, formatted per locale by Babel."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import translation

from storefront.markets.money import format_money, minor_unit, quantize
from storefront.markets.templatetags.money import money as money_filter


def test_floats_are_rejected():
    with pytest.raises(TypeError):
        quantize(0.1, "USD")
    with pytest.raises(TypeError):
        format_money(19.99, "USD", "en")


def test_strings_and_ints_become_exact_decimals():
    assert quantize("0.1", "USD") + quantize("0.2", "USD") == Decimal("0.3")
    assert str(quantize(3, "USD")) == "3.00"


@pytest.mark.parametrize(
    ("currency", "unit"),
    [("USD", "0.01"), ("EUR", "0.01"), ("KRW", "1"), ("JPY", "1"), ("CNY", "0.01"), ("BHD", "0.001")],
)
def test_minor_units(currency, unit):
    assert minor_unit(currency) == Decimal(unit)


@pytest.mark.parametrize(
    ("amount", "currency", "expected"),
    [
        ("1.005", "USD", "1.01"),
        ("1.004", "USD", "1.00"),
        ("2.675", "USD", "2.68"),  # half up, exactly
        ("1000.5", "KRW", "1001"),
        ("1000.49", "KRW", "1000"),
        ("-1.005", "USD", "-1.01"),
    ],
)
def test_rounding_is_half_up_to_the_minor_unit(amount, currency, expected):
    rounded = quantize(Decimal(amount), currency)
    assert rounded == Decimal(expected)
    assert str(rounded) == expected  # exponent too: KRW has no decimals


@pytest.mark.parametrize(
    ("amount", "currency", "language", "expected"),
    [
        ("1234.5", "USD", "en", "$1,234.50"),
        ("1234.5", "KRW", "ko", "₩1,235"),
        ("1234.5", "EUR", "de", "1.234,50\xa0€"),
        ("1234.5", "CNY", "zh-hans", "¥1,234.50"),
    ],
)
def test_babel_formatting_per_locale(amount, currency, language, expected):
    assert format_money(Decimal(amount), currency, language) == expected


def test_arabic_formatting_uses_the_riyal_and_two_decimals():
    formatted = format_money(Decimal("1234.5"), "SAR", "ar")
    assert "1,234.50" in formatted or "١٬٢٣٤٫٥٠" in formatted
    assert "ر.س" in formatted or "SAR" in formatted


def test_unknown_locale_falls_back_to_english():
    assert format_money(Decimal("5"), "USD", "xx-nowhere") == "$5.00"


def test_format_uses_the_active_language():
    with translation.override("ko"):
        assert format_money(Decimal("1000"), "KRW") == "₩1,000"
        assert format_money(Decimal("999.5"), "KRW") == "₩1,000"  # rounded before it is shown


def test_template_filter():
    with translation.override("en"):
        assert money_filter(Decimal("3.5")) == "$3.50"
        assert money_filter(Decimal("3.5"), "KRW") == "₩4"
        assert money_filter(None) == ""
        assert money_filter("") == ""
