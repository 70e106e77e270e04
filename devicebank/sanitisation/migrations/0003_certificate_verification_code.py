"""Certificates get a public verification code: the column first (no default, so existing rows stay empty
instead of sharing one value), filled by 0004, unique from 0005."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("sanitisation", "0002_drive_records_and_certificates")]

    operations = [
        migrations.AddField(
            model_name="certificate",
            name="verification_code",
            field=models.CharField(editable=False, max_length=24, null=True),
        ),
    ]
