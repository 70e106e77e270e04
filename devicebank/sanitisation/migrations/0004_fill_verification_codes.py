"""Give every certificate issued before verification codes existed a code of its own.

Their PDFs keep the old QR code (/verify/<number>/), which now answers "no certificate with that code" like any
unknown code: a sequential number must not open a public page. Someone holding such a PDF finds it with its
number and its SHA-256 (both printed on it) at /verify/ (docs/sanitisation.md, "Verification").
"""

import base64
import secrets

from django.db import migrations


def _code() -> str:
    # The same shape as sanitisation.models.new_verification_code (migrations do not import app code).
    return base64.b32encode(secrets.token_bytes(15)).decode("ascii").lower()


def fill_codes(apps, schema_editor):  # type: ignore[no-untyped-def]
    Certificate = apps.get_model("sanitisation", "Certificate")
    while True:
        # Read a batch, then write it: no cursor stays open while rows change (SQLite and PostgreSQL alike).
        batch = list(Certificate.objects.filter(verification_code__isnull=True).only("pk")[:2000])
        if not batch:
            return
        for certificate in batch:
            certificate.verification_code = _code()
        Certificate.objects.bulk_update(batch, ["verification_code"])


class Migration(migrations.Migration):
    dependencies = [("sanitisation", "0003_certificate_verification_code")]

    # Going back needs nothing undone: 0003's reversal drops the column.
    operations = [migrations.RunPython(fill_codes, migrations.RunPython.noop)]
