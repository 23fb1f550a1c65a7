"""Money: a Decimal amount with its ISO 4217 currency beside it, rounded to the currency's minor unit.

Rounding rule (one, everywhere): ROUND_HALF_UP to the currency's minor unit (KRW 0 decimals, USD 2...), applied
per line; totals are the sum of rounded lines. Formatting is Babel's, per locale.
"""

from __future__ import annotations

from dataclasses import dataclass
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


@dataclass(frozen=True)
class Money:
    amount: Decimal
    currency: str = BASE_CURRENCY

    def __post_init__(self) -> None:
        if isinstance(self.amount, float):
            raise TypeError("Money never takes a float; pass a Decimal or a string.")
        object.__setattr__(self, "amount", quantize(Decimal(self.amount), self.currency))

    def __add__(self, other: "Money") -> "Money":
        self._same(other)
        return Money(self.amount + other.amount, self.currency)

    def __sub__(self, other: "Money") -> "Money":
        self._same(other)
        return Money(self.amount - other.amount, self.currency)

    def __mul__(self, quantity: int) -> "Money":
        if not isinstance(quantity, int):
            raise TypeError("Multiply money by a whole quantity.")
        return Money(self.amount * quantity, self.currency)

    def _same(self, other: "Money") -> None:
        if other.currency != self.currency:
            raise ValueError(f"Cannot combine {self.currency} and {other.currency}.")

    def format(self, language: str | None = None) -> str:
        return format_money(self.amount, self.currency, language)

    def __str__(self) -> str:
        return self.format()


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
