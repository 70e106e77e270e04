"""Verification codes are unique, and new certificates get one by default."""

from django.db import migrations, models

import devicebank.sanitisation.models


class Migration(migrations.Migration):
    dependencies = [("sanitisation", "0004_fill_verification_codes")]

    operations = [
        migrations.AlterField(
            model_name="certificate",
            name="verification_code",
            field=models.CharField(
                default=devicebank.sanitisation.models.new_verification_code,
                editable=False,
                max_length=24,
                null=True,
                unique=True,
            ),
        ),
    ]
