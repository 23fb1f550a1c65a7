"""`{{ amount|money }}` formats a base-currency Decimal for the active language with Babel."""

from __future__ import annotations

from decimal import Decimal

from django import template

from ..money import BASE_CURRENCY, format_money

register = template.Library()


@register.filter
def money(amount: Decimal | None, currency: str = BASE_CURRENCY) -> str:
    if amount is None or amount == "":
        return ""
    return format_money(Decimal(amount), currency or BASE_CURRENCY)
