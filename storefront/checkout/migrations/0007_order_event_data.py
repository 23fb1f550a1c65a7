"""Order events and unpaid orders keep what the shop said as data (read in the reader's language).

Refund events written before this kept "<amount> <currency> (<key>)" as their note: moved into data, so that
nothing parses text any more. Other old notes stay as they were written and are shown as such."""

from decimal import Decimal, InvalidOperation

from django.db import migrations, models


def refund_notes_to_data(apps, schema_editor):
    OrderEvent = apps.get_model("checkout", "OrderEvent")
    for event in OrderEvent.objects.filter(transition__in=["refund", "refund_part", "refund_failed"]).iterator():
        money, _sep, rest = event.note.partition(" (")
        amount, _sep, currency = money.partition(" ")
        key, _sep, message = rest.partition(")")
        try:
            Decimal(amount)
        except InvalidOperation:
            continue
        if len(currency) != 3:
            continue
        event.data = {"amount": amount, "currency": currency, "key": key}
        if message.startswith(": ") and message[2:]:
            event.data["said"] = {"text": message[2:]}
        event.note = ""
        event.save(update_fields=["data", "note"])


class Migration(migrations.Migration):
    dependencies = [
        ("checkout", "0006_returns_refunds_shipments"),
    ]

    operations = [
        migrations.AddField(
            model_name="order",
            name="failure",
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.AddField(
            model_name="orderevent",
            name="data",
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.RunPython(refund_notes_to_data, migrations.RunPython.noop),
    ]
