"""Exchange rates: how many units of a currency one unit of the base currency (USD) buys, as of a date.

The current rate of a currency is its row with the latest `as_of`. Orders never read these rows later: an
order copies the rate it was placed at (`Order.exchange_rate`), so a later rate never changes it.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from babel.numbers import get_currency_precision, is_currency
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from .money import BASE_CURRENCY


def validate_currency_code(value: str) -> None:
    if not (isinstance(value, str) and len(value) == 3 and value.isascii() and value.isupper()
            and is_currency(value)):
        raise ValidationError(_("%(code)s is not an ISO 4217 currency code."), params={"code": value},
                              code="currency")


class ExchangeRate(models.Model):
    currency = models.CharField(_("currency"), max_length=3, validators=[validate_currency_code],
                                help_text=_("ISO 4217 code, for example KRW."))
    rate = models.DecimalField(_("rate"), max_digits=18, decimal_places=8,
                               validators=[MinValueValidator(Decimal("0.00000001"))],
                               help_text=_("Units of this currency per 1 unit of the base currency."))
    as_of = models.DateField(_("as of"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["currency", "-as_of"]
        constraints = [
            models.UniqueConstraint(fields=["currency", "as_of"], name="one_rate_per_currency_and_day"),
            models.CheckConstraint(condition=models.Q(rate__gt=0), name="exchange_rate_positive")]
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
                {"currency": _("Currencies with more than two decimals are not supported yet.")})


# The default table (fixed demo rates); migration 0002 seeds the same rows, `load_rates --demo` restores them.
DEMO_AS_OF = date(2026, 11, 1)
DEMO_RATES = {"USD": "1", "CNY": "7.10", "KRW": "1385", "EUR": "0.92", "SAR": "3.75"}


def load_demo_rates() -> int:
    for currency, rate in DEMO_RATES.items():
        ExchangeRate.objects.update_or_create(currency=currency, as_of=DEMO_AS_OF, defaults={"rate": Decimal(rate)})
    return len(DEMO_RATES)
