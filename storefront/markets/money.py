"""Rounding and formatting money: a Decimal amount with its ISO 4217 currency code beside it (no wrapper type).

Rounding rule (one, everywhere): ROUND_HALF_UP to the currency's minor unit (KRW 0 decimals, USD 2...), applied
per line; totals are the sum of rounded lines (markets/pricing.py applies it). Formatting is Babel's, per locale.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from babel.numbers import format_currency, get_currency_precision
from django.conf import settings
from django.utils.translation import get_language, get_language_info, to_locale

BASE_CURRENCY: str = getattr(settings, "BASE_CURRENCY", "USD")


def minor_unit(currency: str) -> Decimal:
    return Decimal(1).scaleb(-get_currency_precision(currency))


def quantize(amount: Decimal, currency: str) -> Decimal:
    if isinstance(amount, float):  # binary floats cannot hold 0.1: one would already be a rounding error
        raise TypeError("Money never takes a float; pass a Decimal or a string.")
    return Decimal(amount).quantize(minor_unit(currency), rounding=ROUND_HALF_UP)


# Left-to-right isolate: in a right-to-left page a price with a Latin symbol ("1,234.50 US$") would otherwise be
# reordered by the bidi algorithm into "$US". Plain characters, so they also work in emails and attributes.
LRI, PDI, RLM = "\u2066", "\u2069", "\u200f"


def format_money(amount: Decimal, currency: str, language: str | None = None) -> str:
    language = language or get_language() or "en"
    rounded = quantize(amount, currency)  # outside the fallback: a float is a bug to surface, not to hide
    try:
        text = format_currency(rounded, currency, locale=to_locale(language))
    except Exception:  # an unknown Babel locale must never break a page
        return format_currency(rounded, currency, locale="en")
    if get_language_bidi_for(language):
        return LRI + text.replace(RLM, "") + PDI
    return text


def get_language_bidi_for(language: str) -> bool:
    try:
        return bool(get_language_info(language)["bidi"])
    except KeyError:
        return False
