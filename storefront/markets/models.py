"""Exchange rates: how many units of a currency one unit of the base currency (USD) buys, as of a date.

The current rate of a currency is its row with the latest `as_of`. Orders never read these rows later: an
order copies the rate it was placed at (`Order.exchange_rate`), so a later rate never changes it.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from babel.numbers import get_currency_precision, is_currency
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from .money import BASE_CURRENCY


def validate_currency_code(value: str) -> None:
    if not (
        isinstance(value, str)
        and len(value) == 3
        and value.isascii()
        and value.isupper()
        and is_currency(value)
    ):
        raise ValidationError(
            _("%(code)s is not an ISO 4217 currency code."), params={"code": value}, code="currency"
        )


class ExchangeRate(models.Model):
    currency = models.CharField(
        _("currency"),
        max_length=3,
        validators=[validate_currency_code],
        help_text=_("ISO 4217 code, for example KRW."),
    )
    rate = models.DecimalField(
        _("rate"),
        max_digits=18,
        decimal_places=8,
        validators=[MinValueValidator(Decimal("0.00000001"))],
        help_text=_("Units of this currency per 1 unit of the base currency."),
    )
    as_of = models.DateField(_("as of"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["currency", "-as_of"]
        constraints = [
            models.UniqueConstraint(fields=["currency", "as_of"], name="one_rate_per_currency_and_day"),
            models.CheckConstraint(condition=models.Q(rate__gt=0), name="exchange_rate_positive"),
        ]
        indexes = [models.Index(fields=["currency", "-as_of"], name="rate_latest")]
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")

    def __str__(self) -> str:
        return f"1 {BASE_CURRENCY} = {self.rate.normalize():f} {self.currency} ({self.as_of.isoformat()})"

    def clean(self) -> None:
        super().clean()
        if self.currency == BASE_CURRENCY and self.rate is not None and self.rate != 1:
            raise ValidationError({"rate": _("The base currency's rate is always 1.")})
        if self.currency and is_currency(self.currency) and get_currency_precision(self.currency) > 2:
            raise ValidationError(
                {"currency": _("Currencies with more than two decimals are not supported yet.")}
            )


# The default table (fixed demo rates); migration 0002 seeds the same rows, `load_rates --demo` restores them.
DEMO_AS_OF = date(2026, 11, 1)
DEMO_RATES = {"USD": "1", "CNY": "7.10", "KRW": "1385", "EUR": "0.92", "SAR": "3.75"}


def load_demo_rates() -> int:
    for currency, rate in DEMO_RATES.items():
        ExchangeRate.objects.update_or_create(
            currency=currency, as_of=DEMO_AS_OF, defaults={"rate": Decimal(rate)}
        )
    return len(DEMO_RATES)


class Destination(models.Model):
    """What delivering to one country costs and takes: shipping, import duty and tax rules, delivery time.

    Amounts are in the base currency. Goods worth no more than a de minimis threshold enter free of duty (and,
    with its own threshold, free of import tax); above it, duty is charged per line at the category's rate
    (a DutyRule) or the destination's default rate, and import tax on goods + shipping + duty.
    """

    country = models.CharField(
        _("country"), max_length=2, unique=True, help_text=_("ISO 3166 alpha-2 code, for example KR.")
    )
    shipping_fee = models.DecimalField(
        _("shipping fee"), max_digits=10, decimal_places=2, validators=[MinValueValidator(Decimal(0))]
    )
    free_shipping_from = models.DecimalField(
        _("free shipping from"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
        help_text=_("Goods total from which delivery is free. Empty: never free."),
    )
    duty_free_up_to = models.DecimalField(
        _("duty-free up to"),
        max_digits=10,
        decimal_places=2,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0))],
        help_text=_("De minimis: goods totals up to this amount pay no import duty."),
    )
    default_duty_rate = models.DecimalField(
        _("default duty rate (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0))],
        help_text=_("For categories without their own duty rule."),
    )
    tax_free_up_to = models.DecimalField(
        _("tax-free up to"),
        max_digits=10,
        decimal_places=2,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0))],
        help_text=_("Goods totals up to this amount pay no import tax."),
    )
    import_tax_rate = models.DecimalField(
        _("import tax rate (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0))],
        help_text=_("VAT or GST charged at the border on goods, shipping and duty."),
    )
    delivery_min_days = models.PositiveSmallIntegerField(_("delivery from (working days)"), default=2)
    delivery_max_days = models.PositiveSmallIntegerField(_("delivery up to (working days)"), default=4)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["country"]
        verbose_name = _("destination")
        verbose_name_plural = _("destinations")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(delivery_max_days__gte=models.F("delivery_min_days")),
                name="destination_delivery_range",
            )
        ]

    def __str__(self) -> str:
        return self.country

    def clean(self) -> None:
        super().clean()
        if (
            self.delivery_min_days is not None
            and self.delivery_max_days is not None
            and self.delivery_max_days < self.delivery_min_days
        ):
            raise ValidationError(
                {"delivery_max_days": _("The latest delivery day cannot come before the earliest.")}
            )


class DutyRule(models.Model):
    """The import duty rate for one category of goods sent to one destination."""

    destination = models.ForeignKey(
        Destination, on_delete=models.CASCADE, related_name="duty_rules", verbose_name=_("destination")
    )
    category = models.ForeignKey(
        "catalog.Category", on_delete=models.CASCADE, related_name="+", verbose_name=_("category")
    )
    rate = models.DecimalField(
        _("duty rate (%)"), max_digits=5, decimal_places=2, validators=[MinValueValidator(Decimal(0))]
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["destination", "category"]
        verbose_name = _("duty rule")
        verbose_name_plural = _("duty rules")
        constraints = [
            models.UniqueConstraint(
                fields=["destination", "category"], name="one_duty_rule_per_destination_and_category"
            )
        ]

    def __str__(self) -> str:
        return f"{self.destination.country} {self.category}: {self.rate}%"


# Demo rules: plausible, simplified figures for the demo shop, NOT customs advice. The merchant edits them in
# the admin. Migration 0004 seeds the same rows (a test keeps the two equal).
# (fee, free from, duty-free up to, default duty %, tax-free up to, import tax %, days min, max), in USD
DEMO_DESTINATIONS = {
    "US": ("4.99", "50.00", "800.00", "0", "800.00", "0", 2, 4),
    "CN": ("12.00", "150.00", "7.00", "0", "0", "9.1", 7, 12),
    "KR": ("9.00", "150.00", "150.00", "8", "150.00", "10", 5, 8),
    "SA": ("15.00", "200.00", "266.00", "5", "0", "15", 6, 10),
    "DE": ("9.99", "100.00", "163.00", "4", "0", "19", 4, 7),
    "FR": ("9.99", "100.00", "163.00", "4", "0", "20", 4, 7),
    "GB": ("9.99", "100.00", "170.00", "4", "0", "20", 4, 7),
    "JP": ("10.00", "150.00", "66.00", "5", "66.00", "10", 5, 8),
    "SG": ("10.00", "150.00", "400.00", "0", "0", "9", 4, 7),
    "ID": ("12.00", "150.00", "3.00", "7.5", "3.00", "11", 7, 14),
}
# Category rates that differ from a destination's default (category slug -> rate %).
DEMO_DUTY_RULES = {
    "KR": {"fruit": "30", "clothing": "13", "electronics": "0", "gift-cards": "0"},
    "DE": {"clothing": "12", "electronics": "0", "gift-cards": "0"},
    "FR": {"clothing": "12", "electronics": "0", "gift-cards": "0"},
    "SA": {"fruit": "0", "gift-cards": "0"},
    "CN": {"clothing": "10", "gift-cards": "0"},
}


def load_demo_destinations() -> int:
    """Create the demo destinations (idempotent; an edited row is left alone)."""
    for country, (fee, free, duty_free, duty, tax_free, tax, low, high) in DEMO_DESTINATIONS.items():
        Destination.objects.get_or_create(
            country=country,
            defaults=dict(
                shipping_fee=Decimal(fee),
                free_shipping_from=Decimal(free),
                duty_free_up_to=Decimal(duty_free),
                default_duty_rate=Decimal(duty),
                tax_free_up_to=Decimal(tax_free),
                import_tax_rate=Decimal(tax),
                delivery_min_days=low,
                delivery_max_days=high,
            ),
        )
    return len(DEMO_DESTINATIONS)


def load_demo_duty_rules() -> int:
    """Category duty rules for the demo categories that exist (seed_demo calls this after the catalogue)."""
    # The category model through the rule's own field: markets sits below the catalogue and never imports it.
    Category: Any = DutyRule._meta.get_field("category").related_model
    categories = {
        c.slug: c
        for c in Category._default_manager.filter(
            slug__in={slug for rules in DEMO_DUTY_RULES.values() for slug in rules}
        )
    }
    made = 0
    for country, rules in DEMO_DUTY_RULES.items():
        destination = Destination.objects.filter(country=country).first()
        if destination is None:
            continue
        for slug, rate in rules.items():
            if slug in categories:
                DutyRule.objects.get_or_create(
                    destination=destination, category=categories[slug], defaults={"rate": Decimal(rate)}
                )
                made += 1
    return made
