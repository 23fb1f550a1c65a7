"""Money in templates.

`{{ amount|money }}` formats an amount that is already in a currency (default: base) for the active language.
`{% price amount %}` takes a base-currency (USD) unit price and shows it in the shopper's display currency
(`request.currency`), priced by markets/pricing.py like every other amount: converted with the current rate and
rounded ROUND_HALF_UP to that currency's minor unit. `{% price amount quantity=3 %}` shows a line (the rounded
unit price x 3) and `{% price_lines cart_lines %}` the sum of such lines. Pages listing a cart show its quote's
line amounts instead (`cart.services.priced`), which come from the same functions.
"""

from __future__ import annotations

from decimal import Decimal

from django import template

from .. import rates
from ..money import BASE_CURRENCY, format_money, quantize
from ..pricing import line_total

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
    return format_money(line_total(Decimal(amount), int(quantity), rate.currency, rate.rate), rate.currency)


@register.simple_tag(takes_context=True)
def price_lines(context, lines) -> str:
    """The sum of `{% price line.product.price quantity=line.quantity %}` over cart lines: a subtotal that always
    equals the lines shown above it (each rounded first), in the shopper's currency."""
    rate = rates.for_request(context.get("request"))
    total = sum(
        (
            line_total(Decimal(line.product.price), int(line.quantity), rate.currency, rate.rate)
            for line in lines
        ),
        quantize(Decimal(0), rate.currency),
    )
    return format_money(total, rate.currency)
