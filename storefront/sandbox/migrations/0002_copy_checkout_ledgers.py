"""Copy the sandbox ledgers that checkout used to hold (TestGatewayCard/Charge, TestWalletCharge) into this app's
tables before checkout's 0004 drops them, so a demo database keeps its saved cards and wallet payments.
With PAYMENT_SANDBOX off this app is not installed and the old rows are simply dropped with checkout's tables."""

from django.db import migrations

MOVES = [("TestGatewayCard", "SandboxCard"), ("TestGatewayCharge", "SandboxCardCharge"),
         ("TestWalletCharge", "SandboxWalletCharge")]


def copy_ledgers(apps, schema_editor):
    for old_name, new_name in MOVES:
        old, new = apps.get_model("checkout", old_name), apps.get_model("sandbox", new_name)
        fields = [f.attname for f in new._meta.concrete_fields if f.attname != "id"]
        for field in new._meta.concrete_fields:  # keep the original times (this historical model only)
            field.auto_now_add = False
        new.objects.bulk_create(
            [new(**{name: getattr(row, name) for name in fields}) for row in old.objects.order_by("pk")],
            batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("sandbox", "0001_initial"), ("checkout", "0003_local_payment_methods")]
    run_before = [("checkout", "0004_move_sandbox_out")]

    operations = [migrations.RunPython(copy_ledgers, migrations.RunPython.noop)]
