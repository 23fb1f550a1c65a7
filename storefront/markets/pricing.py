"""What an order costs where it is going, line by line: the one place money is computed.

Every amount the shopper sees or pays comes from here: the {% price %} tags, the cart, the review and pay pages,
one-click and family buttons, and the order lines placement stores. `totals_for` returns a `Totals` quote whose
`.lines` are the per-line amounts (in the order of the input) and whose totals are sums of them.

Catalogue prices are in the base currency. The rounding rule (storefront/markets/money.py): in another
currency every unit price is converted with ONE rate and rounded ROUND_HALF_UP to that currency's minor unit
first; a line is the rounded unit price x quantity; duty is charged per line (the line's category rate,
rounded per line); import tax is one rounded amount on goods + shipping + duty; every total is a sum of those
rounded parts. Decisions that depend on a threshold (free shipping, the de minimis limits for duty and tax) are
made on the base-currency goods total, so they never depend on the shopper's currency.

Amounts are plain `Decimal`s with the quote's `currency` beside them (the house rule for money).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple, cast

from django.http import HttpRequest

from .landed_cost import HOME_COUNTRY, DestinationRules, rules_for, rules_for_request
from .money import BASE_CURRENCY, quantize
from .rates import convert, current, for_request

HUNDRED = Decimal(100)


class PricedLine(NamedTuple):
    """One line to price: what callers pass in (a plain tuple of the same fields works too)."""

    price: Decimal  # base-currency unit price
    quantity: int
    category_id: int | None = None  # decides the duty rate


@dataclass(frozen=True)
class LineAmount:
    """One priced line in the quote's currency: what the cart shows and the order line stores."""

    unit_price: Decimal
    quantity: int
    line_total: Decimal
    duty: Decimal  # this line's import duty (zero under the duty de minimis)


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
    lines: tuple[LineAmount, ...] = ()  # per input line, same order; subtotal and duties are their sums
    # How much more goods (in `currency`) would make shipping free: None without a threshold, with nothing in
    # the cart, or once shipping is already free. The cart's "Add $26.02 more for free delivery".
    free_shipping_remaining: Decimal | None = None

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


def line_total(
    price: Decimal, quantity: int, currency: str = BASE_CURRENCY, rate: Decimal = Decimal(1)
) -> Decimal:
    """`quantity` units of a base-currency unit price, in `currency`: the rounded unit price x quantity (in the
    base currency catalogue prices already have cents, so the line is rounded as a whole)."""
    if not isinstance(quantity, int):
        raise TypeError("A line has a whole quantity.")
    if currency == BASE_CURRENCY:
        return quantize(Decimal(price) * quantity, BASE_CURRENCY)
    return unit_price(price, currency, rate) * quantity


def _price_lines(
    lines: list[PricedLine], currency: str, rate: Decimal, rules: DestinationRules, charges_duty: bool
) -> tuple[LineAmount, ...]:
    zero = quantize(Decimal(0), currency)
    priced = []
    for ln in lines:
        amount = line_total(ln.price, ln.quantity, currency, rate)
        duty = (
            quantize(amount * rules.duty_rate(ln.category_id) / HUNDRED, currency) if charges_duty else zero
        )
        priced.append(LineAmount(unit_price(ln.price, currency, rate), ln.quantity, amount, duty))
    return tuple(priced)


def _parts(
    lines: tuple[LineAmount, ...],
    currency: str,
    rate: Decimal,
    rules: DestinationRules,
    goods_base: Decimal,
    shipping_base: Decimal,
) -> tuple[Decimal, Decimal, Decimal, Decimal]:
    """(goods, shipping, duties, taxes) in `currency`, each a sum of parts rounded by the documented rule."""
    zero = quantize(Decimal(0), currency)
    goods = sum((ln.line_total for ln in lines), zero)
    shipping = unit_price(shipping_base, currency, rate)
    duties = sum((ln.duty for ln in lines), zero)
    taxes = zero
    if rules.charges_tax(goods_base):
        taxes = quantize((goods + shipping + duties) * rules.import_tax_rate / HUNDRED, currency)
    return goods, shipping, duties, taxes


def totals_for(
    lines: Iterable[tuple],
    currency: str = BASE_CURRENCY,
    rate: Decimal | None = None,
    destination: str | None = None,
    rules: DestinationRules | None = None,
) -> Totals:
    """Landed-cost totals and per-line amounts from (base unit price, quantity[, category id]) lines, delivered
    to `destination`.

    With a `currency` other than the base, pass its `rate` (units per base unit), or the current rate is used.
    """
    priced = [PricedLine(*line) for line in lines]
    rules = rules or rules_for(destination)
    if currency != BASE_CURRENCY and rate is None:
        found = current(currency)
        if found is None:
            raise ValueError(f"No exchange rate for {currency}.")
        rate = found.rate
    rate = Decimal(1) if currency == BASE_CURRENCY else Decimal(cast(Decimal, rate))  # set above when None
    goods_base = sum((line_total(ln.price, ln.quantity) for ln in priced), Decimal("0.00"))
    shipping_base = rules.shipping_for(goods_base)
    duty = rules.charges_duty(goods_base)
    base_lines = _price_lines(priced, BASE_CURRENCY, Decimal(1), rules, duty)
    shown_lines = (
        base_lines if currency == BASE_CURRENCY else _price_lines(priced, currency, rate, rules, duty)
    )
    base = _parts(base_lines, BASE_CURRENCY, Decimal(1), rules, goods_base, shipping_base)
    goods, shipping, duties, taxes = (
        base
        if currency == BASE_CURRENCY
        else _parts(shown_lines, currency, rate, rules, goods_base, shipping_base)
    )
    remaining = None
    if rules.free_shipping_from is not None and 0 < goods_base < rules.free_shipping_from:
        remaining = unit_price(rules.free_shipping_from - goods_base, currency, rate)
    return Totals(
        subtotal=goods,
        shipping=shipping,
        duties=duties,
        taxes=taxes,
        total=goods + shipping + duties + taxes,
        currency=currency,
        exchange_rate=rate,
        total_base=sum(base, Decimal("0.00")),
        destination=rules.country,
        tax_rate=rules.import_tax_rate,
        duty_exempt=not duty,
        tax_exempt=not rules.charges_tax(goods_base),
        delivery_min_days=rules.delivery_min_days,
        delivery_max_days=rules.delivery_max_days,
        lines=shown_lines,
        free_shipping_remaining=remaining,
    )


def totals_for_request(
    request: HttpRequest | None, lines: Iterable[tuple], destination: str | None = None
) -> Totals:
    """Totals in the shopper's display currency (`request.currency` at its current rate; the base currency when
    it has no rate), delivered to `destination` (default: the shopper's chosen destination): what
    `place_order(..., currency=request.currency)` charges for the same lines sent to the same country."""
    market = for_request(request)
    country = destination or getattr(request, "country", None) or HOME_COUNTRY
    return totals_for(lines, market.currency, market.rate, rules=rules_for_request(request, country))


# --- refunds: what a return gives back ----------------------------------------------------------------------
#
# The rule (the same for every destination; the order stores what its destination charged):
# - goods: the line's unit price x the units refunded;
# - duty: the line's duty in proportion to its units refunded (customs repays duty on goods sent back), rounded
#   per line; the refund that completes a line gives back what is left of that line's duty, so the pieces always
#   add up to exactly what was charged;
# - shipping: given back in full, once per order, when the goods came back through the shop's fault (damaged,
#   wrong item, not as described) or when the refund completes the whole order; never for a change of mind on
#   part of an order;
# - import tax was charged on goods + shipping + duty, so it is refunded on the same base: order tax x (goods +
#   shipping + duty refunded now) / (subtotal + shipping + duties), rounded; the refund completing the order gives
#   back what is left of it.
# Every part is rounded to the currency's minor unit (none for KRW and JPY), so the parts sum to the total.


class RefundableLine(NamedTuple):
    """One order line as a refund sees it: its stored amounts, what was refunded before and what is asked now."""

    key: int
    unit_price: Decimal
    quantity: int  # units on the order line
    duty: Decimal  # the line's import duty as charged
    refunding: int = 0  # units refunded by this refund
    refunded: int = 0  # units refunded by earlier refunds
    duty_refunded: Decimal = Decimal(0)


@dataclass(frozen=True)
class RefundLineAmount:
    key: int
    quantity: int
    goods: Decimal
    duty: Decimal


@dataclass(frozen=True)
class RefundQuote:
    currency: str
    lines: tuple[RefundLineAmount, ...]
    goods: Decimal
    shipping: Decimal
    duties: Decimal
    taxes: Decimal
    completes_order: bool

    @property
    def total(self) -> Decimal:
        return self.goods + self.shipping + self.duties + self.taxes


def refund_quote(
    lines: Iterable[RefundableLine],
    *,
    currency: str,
    order_shipping: Decimal,
    order_duties: Decimal,
    order_taxes: Decimal,
    shipping_refunded: Decimal = Decimal(0),
    taxes_refunded: Decimal = Decimal(0),
    shop_fault: bool = False,
) -> RefundQuote:
    """The amounts a refund of `refunding` units per line gives back (the rule above). Pass every line of the
    order (those not refunded now with `refunding=0`) so the quote knows whether it completes the order."""
    all_lines = list(lines)
    if any(ln.refunding < 0 or ln.refunded + ln.refunding > ln.quantity for ln in all_lines):
        raise ValueError("More units refunded than the line has.")
    zero = quantize(Decimal(0), currency)
    parts = []
    for ln in all_lines:
        if not ln.refunding:
            continue
        goods = quantize(ln.unit_price * ln.refunding, currency)
        if ln.refunded + ln.refunding == ln.quantity:
            duty = quantize(ln.duty - ln.duty_refunded, currency)
        else:
            duty = quantize(ln.duty * ln.refunding / ln.quantity, currency)
        parts.append(RefundLineAmount(ln.key, ln.refunding, goods, duty))
    goods = sum((p.goods for p in parts), zero)
    duties = sum((p.duty for p in parts), zero)
    completes = bool(parts) and all(ln.refunded + ln.refunding == ln.quantity for ln in all_lines)
    shipping = zero
    if parts and (shop_fault or completes) and not shipping_refunded:
        shipping = quantize(order_shipping, currency)
    if completes:
        taxes = quantize(order_taxes - taxes_refunded, currency)
    else:
        base = (
            sum((ln.unit_price * ln.quantity for ln in all_lines), Decimal(0)) + order_shipping + order_duties
        )
        taxes = (
            quantize(order_taxes * (goods + shipping + duties) / base, currency) if base and parts else zero
        )
        taxes = min(taxes, quantize(order_taxes - taxes_refunded, currency))
    return RefundQuote(currency, tuple(parts), goods, shipping, duties, taxes, completes)
