"""What an order costs: line totals, shipping and the grand total, in the base currency or a display currency.

Catalogue prices are in the base currency. In another currency every unit price is converted with ONE rate and
rounded ROUND_HALF_UP to that currency's minor unit first; a line is the rounded unit price x quantity; totals
are sums of lines (storefront/markets/rates.py). Free delivery is decided on the base-currency subtotal, so
the rule never depends on the shopper's currency.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from storefront.markets.money import BASE_CURRENCY, quantize
from storefront.markets.rates import convert

FREE_SHIPPING_FROM = Decimal("50.00")
STANDARD_SHIPPING = Decimal("4.99")


@dataclass(frozen=True)
class Totals:
    subtotal: Decimal
    shipping: Decimal
    duties: Decimal
    total: Decimal
    currency: str = BASE_CURRENCY
    exchange_rate: Decimal = Decimal(1)  # units of `currency` per unit of the base currency
    total_base: Decimal | None = None  # the same order in the base currency

    def __post_init__(self) -> None:
        if self.total_base is None:
            object.__setattr__(self, "total_base", self.total)


def shipping_for(subtotal: Decimal) -> Decimal:
    return Decimal("0.00") if subtotal >= FREE_SHIPPING_FROM or subtotal == 0 else STANDARD_SHIPPING


def unit_price(price: Decimal, currency: str = BASE_CURRENCY, rate: Decimal = Decimal(1)) -> Decimal:
    """A base-currency unit price in `currency`, rounded to its minor unit."""
    return convert(price, rate, currency) if currency != BASE_CURRENCY else quantize(price, BASE_CURRENCY)


def totals_for(lines: list[tuple[Decimal, int]], currency: str = BASE_CURRENCY,
               rate: Decimal | None = None) -> Totals:
    """Totals from (base unit price, quantity) pairs; lines are rounded first, totals are sums of lines.

    With a `currency` other than the base, pass its `rate` (units per base unit), or the current rate is used.
    """
    base_subtotal = sum((quantize(price * qty, BASE_CURRENCY) for price, qty in lines), Decimal("0.00"))
    base_shipping = shipping_for(base_subtotal)
    if currency == BASE_CURRENCY:
        return Totals(base_subtotal, base_shipping, Decimal("0.00"), base_subtotal + base_shipping)
    if rate is None:
        from storefront.markets.rates import current

        found = current(currency)
        if found is None:
            raise ValueError(f"No exchange rate for {currency}.")
        rate = found.rate
    zero = quantize(Decimal(0), currency)
    subtotal = sum((unit_price(price, currency, rate) * qty for price, qty in lines), zero)
    shipping = unit_price(base_shipping, currency, rate)
    return Totals(subtotal, shipping, zero, subtotal + shipping, currency, Decimal(rate),
                  base_subtotal + base_shipping)


def totals_for_request(request, lines: list[tuple[Decimal, int]]) -> Totals:
    """Totals in the shopper's display currency (`request.currency` at its current rate; the base currency when
    it has no rate): what `place_order(..., currency=request.currency)` charges for the same lines."""
    from storefront.markets.rates import for_request

    market = for_request(request)
    return totals_for(lines, market.currency, market.rate)
