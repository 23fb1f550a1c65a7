"""Money in templates.

`{{ amount|money }}` formats an amount that is already in a currency (default: base) for the active language.
`{% price amount %}` takes a base-currency (USD) unit price and shows it in the shopper's display currency
(`request.currency`): converted with the current rate and rounded ROUND_HALF_UP to that currency's minor unit
(see storefront/markets/rates.py). `{% price amount quantity=3 %}` shows a line: the rounded unit price x 3,
and `{% price_lines cart_lines %}` the sum of such lines.
"""

from __future__ import annotations

from decimal import Decimal

from django import template

from .. import rates
from ..money import BASE_CURRENCY, format_money

register = template.Library()


@register.filter
def money(amount: Decimal | None, currency: str = BASE_CURRENCY) -> str:
    if amount is None or amount == "":
        return ""
    return format_money(Decimal(amount), currency or BASE_CURRENCY)


@register.simple_tag(takes_context=True)
def price(context, amount: Decimal | None, quantity: int = 1) -> str:
    if amount is None or amount == "":
        return ""
    rate = rates.for_request(context.get("request"))
    return format_money(rate.convert(Decimal(amount)) * int(quantity), rate.currency)


@register.simple_tag(takes_context=True)
def price_lines(context, lines) -> str:
    """The sum of `{% price line.product.price quantity=line.quantity %}` over cart lines: a subtotal that always
    equals the lines shown above it (each rounded first), in the shopper's currency."""
    rate = rates.for_request(context.get("request"))
    total = sum((rate.convert(Decimal(line.product.price)) * int(line.quantity) for line in lines),
                rate.convert(Decimal(0)))
    return format_money(total, rate.currency)
