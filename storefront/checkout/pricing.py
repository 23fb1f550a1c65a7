"""What an order costs where it is going: goods, shipping, import duty and import tax, in a display currency.

Catalogue prices are in the base currency. The rounding rule (storefront/markets/money.py): in another
currency every unit price is converted with ONE rate and rounded ROUND_HALF_UP to that currency's minor unit
first; a line is the rounded unit price x quantity; duty is charged per line (the line's category rate,
rounded per line); import tax is one rounded amount on goods + shipping + duty; every total is a sum of those
rounded parts. Decisions that depend on a threshold (free shipping, the de minimis limits for duty and tax) are
made on the base-currency goods total, so they never depend on the shopper's currency.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Iterable, NamedTuple

from storefront.markets.landed_cost import HOME_COUNTRY, DestinationRules, rules_for, rules_for_request
from storefront.markets.money import BASE_CURRENCY, quantize
from storefront.markets.rates import convert

HUNDRED = Decimal(100)


class PricedLine(NamedTuple):
    price: Decimal  # base-currency unit price
    quantity: int
    category_id: int | None = None  # decides the duty rate


@dataclass(frozen=True)
class Totals:
    subtotal: Decimal
    shipping: Decimal
    duties: Decimal
    total: Decimal
    currency: str = BASE_CURRENCY
    exchange_rate: Decimal = Decimal(1)  # units of `currency` per unit of the base currency
    total_base: Decimal | None = None  # the same order in the base currency
    taxes: Decimal = Decimal("0.00")
    destination: str = HOME_COUNTRY
    tax_rate: Decimal = Decimal(0)  # percent, for "Import tax (10%)"
    duty_exempt: bool = True  # goods at or under the destination's duty de minimis
    tax_exempt: bool = True
    delivery_min_days: int = 2
    delivery_max_days: int = 4

    def __post_init__(self) -> None:
        if self.total_base is None:
            object.__setattr__(self, "total_base", self.total)

    @property
    def is_international(self) -> bool:
        return self.destination != HOME_COUNTRY

    @property
    def import_charges(self) -> Decimal:
        return self.duties + self.taxes


def unit_price(price: Decimal, currency: str = BASE_CURRENCY, rate: Decimal = Decimal(1)) -> Decimal:
    """A base-currency unit price in `currency`, rounded to its minor unit."""
    return convert(price, rate, currency) if currency != BASE_CURRENCY else quantize(price, BASE_CURRENCY)


def _parts(lines: list[PricedLine], currency: str, rate: Decimal, rules: DestinationRules,
           goods_base: Decimal, shipping_base: Decimal) -> tuple[Decimal, Decimal, Decimal, Decimal]:
    """(goods, shipping, duties, taxes) in `currency`, each rounded by the documented rule."""
    zero = quantize(Decimal(0), currency)
    if currency == BASE_CURRENCY:  # catalogue prices already have cents; the line is rounded as a whole
        line_totals = [(quantize(ln.price * ln.quantity, currency), ln.category_id) for ln in lines]
    else:
        line_totals = [(unit_price(ln.price, currency, rate) * ln.quantity, ln.category_id) for ln in lines]
    goods = sum((amount for amount, _c in line_totals), zero)
    shipping = unit_price(shipping_base, currency, rate)
    duties = zero
    if rules.charges_duty(goods_base):
        duties = sum((quantize(amount * rules.duty_rate(category) / HUNDRED, currency)
                      for amount, category in line_totals), zero)
    taxes = zero
    if rules.charges_tax(goods_base):
        taxes = quantize((goods + shipping + duties) * rules.import_tax_rate / HUNDRED, currency)
    return goods, shipping, duties, taxes


def totals_for(lines: Iterable[tuple], currency: str = BASE_CURRENCY, rate: Decimal | None = None,
               destination: str | None = None, rules: DestinationRules | None = None) -> Totals:
    """Landed-cost totals from (base unit price, quantity[, category id]) lines, delivered to `destination`.

    With a `currency` other than the base, pass its `rate` (units per base unit), or the current rate is used.
    """
    priced = [PricedLine(*line) for line in lines]
    rules = rules or rules_for(destination)
    if currency != BASE_CURRENCY and rate is None:
        from storefront.markets.rates import current

        found = current(currency)
        if found is None:
            raise ValueError(f"No exchange rate for {currency}.")
        rate = found.rate
    rate = Decimal(1) if currency == BASE_CURRENCY else Decimal(rate)
    goods_base = sum((quantize(ln.price * ln.quantity, BASE_CURRENCY) for ln in priced), Decimal("0.00"))
    shipping_base = rules.shipping_for(goods_base)
    base = _parts(priced, BASE_CURRENCY, Decimal(1), rules, goods_base, shipping_base)
    shown = base if currency == BASE_CURRENCY else _parts(priced, currency, rate, rules, goods_base, shipping_base)
    goods, shipping, duties, taxes = shown
    return Totals(
        subtotal=goods, shipping=shipping, duties=duties, taxes=taxes, total=goods + shipping + duties + taxes,
        currency=currency, exchange_rate=rate, total_base=sum(base, Decimal("0.00")),
        destination=rules.country, tax_rate=rules.import_tax_rate,
        duty_exempt=not rules.charges_duty(goods_base), tax_exempt=not rules.charges_tax(goods_base),
        delivery_min_days=rules.delivery_min_days, delivery_max_days=rules.delivery_max_days)


def totals_for_request(request, lines: Iterable[tuple], destination: str | None = None) -> Totals:
    """Totals in the shopper's display currency (`request.currency` at its current rate; the base currency when
    it has no rate), delivered to `destination` (default: the shopper's chosen destination): what
    `place_order(..., currency=request.currency)` charges for the same lines sent to the same country."""
    from storefront.markets.rates import for_request

    market = for_request(request)
    country = destination or getattr(request, "country", None) or HOME_COUNTRY
    return totals_for(lines, market.currency, market.rate, rules=rules_for_request(request, country))
