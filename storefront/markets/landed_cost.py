"""The rules of delivering to a destination: shipping fee, de minimis thresholds, duty and tax rates, delivery time.

`rules_for(country)` reads the admin-edited Destination and DutyRule tables (markets/models.py) into one frozen
value that pricing.totals_for applies. A country without a row gets the home rules (the base currency's
country: no duty, no import tax), so a missing row can never add a fee the shopper was not shown.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import DatabaseError

from .choices import DEFAULT_COUNTRY

HOME_COUNTRY = DEFAULT_COUNTRY  # the base currency's country: no duty or import tax


@dataclass(frozen=True)
class DestinationRules:
    country: str
    shipping_fee: Decimal = Decimal("4.99")
    free_shipping_from: Decimal | None = Decimal("50.00")
    duty_free_up_to: Decimal = Decimal("800.00")
    default_duty_rate: Decimal = Decimal(0)  # percent
    tax_free_up_to: Decimal = Decimal("800.00")
    import_tax_rate: Decimal = Decimal(0)  # percent
    delivery_min_days: int = 2
    delivery_max_days: int = 4
    duty_rates: dict[int, Decimal] = field(default_factory=dict)  # category id -> percent

    def shipping_for(self, goods_base: Decimal) -> Decimal:
        """Shipping in the base currency for a goods total in the base currency (nothing to ship: nothing)."""
        if goods_base == 0:
            return Decimal("0.00")
        if self.free_shipping_from is not None and goods_base >= self.free_shipping_from:
            return Decimal("0.00")
        return self.shipping_fee

    def duty_rate(self, category_id: int | None) -> Decimal:
        return (
            self.duty_rates.get(category_id, self.default_duty_rate)
            if category_id
            else self.default_duty_rate
        )

    def charges_duty(self, goods_base: Decimal) -> bool:
        return goods_base > self.duty_free_up_to

    def charges_tax(self, goods_base: Decimal) -> bool:
        return goods_base > self.tax_free_up_to and self.import_tax_rate > 0


HOME_RULES = DestinationRules(HOME_COUNTRY)


RULE_FIELDS = (
    "shipping_fee",
    "free_shipping_from",
    "duty_free_up_to",
    "default_duty_rate",
    "tax_free_up_to",
    "import_tax_rate",
    "delivery_min_days",
    "delivery_max_days",
)


def rules_for(country: str | None) -> DestinationRules:
    """The rules for delivering to `country` (one query: the destination joined to its duty rules), or the
    home rules when it has none."""
    from .models import Destination

    country = (country or HOME_COUNTRY).upper()
    try:
        rows = list(
            Destination.objects.filter(country=country).values(
                *RULE_FIELDS, "duty_rules__category_id", "duty_rules__rate"
            )
        )
    except DatabaseError:  # e.g. the error page while the database is down
        return DestinationRules(country)
    if not rows:
        return DestinationRules(country)
    rates = {
        row["duty_rules__category_id"]: row["duty_rules__rate"]
        for row in rows
        if row["duty_rules__category_id"] is not None
    }
    return DestinationRules(country=country, duty_rates=rates, **{f: rows[0][f] for f in RULE_FIELDS})


def rules_for_request(request, country: str | None) -> DestinationRules:
    """`rules_for`, remembered on the request: a page showing several totals looks the rules up once."""
    if request is None:
        return rules_for(country)
    memo = request.__dict__.setdefault("_destination_rules", {})
    key = (country or HOME_COUNTRY).upper()
    if key not in memo:
        memo[key] = rules_for(key)
    return memo[key]
