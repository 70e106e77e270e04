"""Move the GIAS files of unfinished school imports out of the database into evidence storage.

Written with the historical models and Django's storage API only (no app code), so it runs the same on SQLite and
PostgreSQL whatever the app becomes. Files go to the `evidence` storage under the names core/evidence.py would
give them. The old column keeps its bytes for one release (so the previous version still reads rows it knew if a
deploy is rolled back); the next release drops it (docs/operations.md, "Evidence files"). Going back copies files
written since into the old column, so nothing is lost either way.
"""

import hashlib
import secrets

from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import migrations
from django.utils import timezone

BATCH = 50  # blobs of up to 50 MB each: a few at a time


def _store(data, folder, suffix):
    name = f"{folder}/{timezone.now():%Y/%m}/{secrets.token_hex(16)}{suffix}"
    return storages["evidence"].save(name, ContentFile(data))


def _suffix(file_name, default):
    dot = file_name.rfind(".")
    ext = file_name[dot:].lower() if dot > 0 else ""
    return ext if ext[1:].isalnum() and len(ext) <= 6 else default


def forwards(apps, schema_editor):
    for app, model, old, name, sha, folder, suffix in MOVES:
        Model = apps.get_model(app, model)
        done = 0
        while True:
            rows = list(
                Model.objects.filter(**{name: "", f"{old}__isnull": False})
                .exclude(pk__lte=done)
                .order_by("pk")
                .only("pk", old, *([sha] if sha else []), *(["file_name"] if "file_name" in _fields(Model) else []))[:BATCH]
            )
            if not rows:
                break
            for row in rows:
                data = bytes(getattr(row, old))
                setattr(row, name, _store(data, folder, suffix(row)))
                updated = [name]
                if sha and not getattr(row, sha):
                    setattr(row, sha, hashlib.sha256(data).hexdigest())
                    updated.append(sha)
                row.save(update_fields=updated)
            done = rows[-1].pk


def backwards(apps, schema_editor):
    for app, model, old, name, *_ in MOVES:
        Model = apps.get_model(app, model)
        for pk in Model.objects.filter(**{f"{old}__isnull": True}).exclude(**{name: ""}).values_list("pk", flat=True):
            row = Model.objects.only("pk", name).get(pk=pk)
            with storages["evidence"].open(getattr(row, name), "rb") as stored:
                Model.objects.filter(pk=pk).update(**{old: stored.read()})


def _fields(Model):
    return {f.name for f in Model._meta.get_fields()}

# (app, model, old bytes column, new name column, SHA-256 column (filled when empty), folder, suffix of a row)
MOVES = [
    # Finished imports have dropped their file already; file_sha256 is the uploaded file's own SHA-256.
    ("recipients", "SchoolImport", "file_bytes", "stored_file", "file_sha256", "school-imports", lambda row: ".csv"),
]

class Migration(migrations.Migration):
    dependencies = [("recipients", "0002_evidence_in_file_storage")]

    operations = [migrations.RunPython(forwards, backwards)]
