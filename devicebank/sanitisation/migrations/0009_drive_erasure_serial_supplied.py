from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("sanitisation", "0008_evidence_names_default_empty"),
    ]

    operations = [
        migrations.AddField(
            model_name="driveerasure",
            name="serial_supplied",
            field=models.CharField(
                blank=True,
                help_text="The drive's serial as a person typed it at review, when the log had none or a placeholder. "
                "The log's own serial (drive_serial) is never changed; the certificate marks this one as supplied by a person.",
                max_length=100,
            ),
        ),
    ]
