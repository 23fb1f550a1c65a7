"""The seeded destinations (shipping, de minimis, duty and import tax, delivery time); edit them in the admin."""

from decimal import Decimal

from django.db import migrations

# (fee, free from, duty-free up to, default duty %, tax-free up to, import tax %, days min, max), in USD
DESTINATIONS = {
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


def add(apps, schema_editor):
    Destination = apps.get_model("markets", "Destination")
    for country, (fee, free, duty_free, duty, tax_free, tax, low, high) in DESTINATIONS.items():
        Destination.objects.get_or_create(country=country, defaults=dict(
            shipping_fee=Decimal(fee), free_shipping_from=Decimal(free), duty_free_up_to=Decimal(duty_free),
            default_duty_rate=Decimal(duty), tax_free_up_to=Decimal(tax_free), import_tax_rate=Decimal(tax),
            delivery_min_days=low, delivery_max_days=high))


def remove(apps, schema_editor):
    apps.get_model("markets", "Destination").objects.filter(country__in=list(DESTINATIONS)).delete()


class Migration(migrations.Migration):
    dependencies = [("markets", "0003_destinations_and_duty_rules")]
    operations = [migrations.RunPython(add, remove)]
