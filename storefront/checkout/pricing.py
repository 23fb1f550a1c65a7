"""What an order costs: line totals, shipping and the grand total, in the shop's base currency."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from storefront.markets.money import BASE_CURRENCY, quantize

FREE_SHIPPING_FROM = Decimal("50.00")
STANDARD_SHIPPING = Decimal("4.99")


@dataclass(frozen=True)
class Totals:
    subtotal: Decimal
    shipping: Decimal
    duties: Decimal
    total: Decimal
    currency: str = BASE_CURRENCY


def shipping_for(subtotal: Decimal) -> Decimal:
    return Decimal("0.00") if subtotal >= FREE_SHIPPING_FROM or subtotal == 0 else STANDARD_SHIPPING


def totals_for(lines: list[tuple[Decimal, int]]) -> Totals:
    """Totals from (unit price, quantity) pairs; each line rounded first, totals are sums of rounded lines."""
    subtotal = sum((quantize(price * qty, BASE_CURRENCY) for price, qty in lines), Decimal("0.00"))
    shipping = shipping_for(subtotal)
    return Totals(subtotal, shipping, Decimal("0.00"), subtotal + shipping)
