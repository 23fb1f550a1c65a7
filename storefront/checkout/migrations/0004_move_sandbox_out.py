"""The payment sandbox's ledgers moved to their own app (storefront/sandbox/). When the sandbox is installed,
its 0002 copies the rows first (run_before); otherwise (PAYMENT_SANDBOX off) these sandbox-only rows are
dropped."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('checkout', '0003_local_payment_methods'),
    ]

    operations = [
        migrations.DeleteModel(
            name='TestGatewayCard',
        ),
        migrations.DeleteModel(
            name='TestGatewayCharge',
        ),
        migrations.DeleteModel(
            name='TestWalletCharge',
        ),
    ]
