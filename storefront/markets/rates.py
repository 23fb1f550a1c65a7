"""Current exchange rates and base -> display currency conversion.

Rounding rule (the one in money.py): a base-currency unit price is converted and rounded ROUND_HALF_UP to the
display currency's minor unit; a line is that rounded unit price x quantity; totals are sums of lines. A
currency without a rate in the table falls back to the base currency (never an error page).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import DatabaseError
from django.http import HttpRequest

from .money import BASE_CURRENCY, quantize

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Rate:
    currency: str
    rate: Decimal  # units of `currency` per 1 unit of the base currency
    as_of: date | None

    def convert(self, base_amount: Decimal) -> Decimal:
        return convert(base_amount, self.rate, self.currency)


BASE_RATE = Rate(BASE_CURRENCY, Decimal(1), None)


def convert(base_amount: Decimal, rate: Decimal, currency: str) -> Decimal:
    """A base-currency amount in `currency`, rounded half-up to its minor unit (Decimal only, never float)."""
    if isinstance(base_amount, float) or isinstance(rate, float):
        raise TypeError("Money never takes a float; pass a Decimal or a string.")
    return quantize(Decimal(base_amount) * Decimal(rate), currency)


def current(currency: str) -> Rate | None:
    """The latest rate for a currency, or None when the table has none (the base currency always has one)."""
    from .models import ExchangeRate

    row = (
        ExchangeRate.objects.filter(currency=currency).order_by("-as_of").values_list("rate", "as_of").first()
    )
    if row is None:
        return BASE_RATE if currency == BASE_CURRENCY else None
    return Rate(currency, row[0], row[1])


def for_request(request: HttpRequest | None) -> Rate:
    """The request's display rate, looked up once per request (none for the base currency); a currency
    without a rate shows the base."""
    if request is None:
        return BASE_RATE
    cached = getattr(request, "_market_rate", None)
    if cached is not None:
        return cached
    currency = getattr(request, "currency", BASE_CURRENCY)
    try:  # the base currency needs no rate, so the default page costs no query
        rate = for_order(currency)
    except DatabaseError:  # e.g. the 500 page while the database is down: show base prices, never fail
        log.warning("Exchange rates unavailable; showing %s prices", BASE_CURRENCY, exc_info=True)
        rate = BASE_RATE
    request._market_rate = rate  # type: ignore[attr-defined]
    return rate


def for_order(currency: str) -> Rate:
    """The rate an order is placed at: the current one, or the base currency when the chosen one has none (the
    same fallback the shopper saw on the page)."""
    return (current(currency) if currency != BASE_CURRENCY else None) or BASE_RATE
