"""The seeded default rate table: fixed demo rates dated 2026-11-01 (replace with `manage.py load_rates`)."""

from datetime import date
from decimal import Decimal

from django.db import migrations

DEMO_RATES = {"USD": "1", "CNY": "7.10", "KRW": "1385", "EUR": "0.92", "SAR": "3.75"}
AS_OF = date(2026, 11, 1)


def add_rates(apps, schema_editor):
    ExchangeRate = apps.get_model("markets", "ExchangeRate")
    for currency, rate in DEMO_RATES.items():
        ExchangeRate.objects.get_or_create(currency=currency, as_of=AS_OF, defaults={"rate": Decimal(rate)})


def remove_rates(apps, schema_editor):
    ExchangeRate = apps.get_model("markets", "ExchangeRate")
    ExchangeRate.objects.filter(as_of=AS_OF, currency__in=list(DEMO_RATES)).delete()


class Migration(migrations.Migration):
    dependencies = [("markets", "0001_initial")]
    operations = [migrations.RunPython(add_rates, remove_rates)]
