"""Events keep no personal data or free text (issue 8): move what earlier events kept into erasable notes.

For each event written before: its `reason`, and the words its data held (who collected a donation, a
recycler, a file name, a repair's action), go into a `Note` linked to the event; the reason is blanked and
those keys are dropped from the data, as are the names copied next to ids (locations, holders, donors), which
are read by id now. This is the one time the append-only log is rewritten: the triggers are lifted for this
migration's own transaction and put back before it ends.
"""

from typing import Any

from django.db import migrations

# Keys of earlier events' data whose values were words, moved into the note (named) and dropped.
WORDS = ("received_by", "collector", "collected_by", "recycler", "consignment_note", "file")
WORDS_BY_KIND = {"repair_recorded": ("action",), "device_custody_recorded": ("by",)}
# References that also copied a name: the id stays, the name is read from the record now.
NAMED_REFERENCES = ("location", "custodian", "donor")
KINDS = [
    "device_registered",
    "device_state_changed",
    "device_custody_recorded",
    "donation_created",
    "donation_state_changed",
    "device_recycled",
    "repair_recorded",
    "hardware_report_ingested",
    "erasure_report_imported",
    "register_imported",
]


def _scrub(kind: str, data: Any) -> tuple[Any, list[str]]:
    """The data without words, and the words taken out ("key: value")."""
    if not isinstance(data, dict):
        return data, []
    clean = dict(data)
    words: list[str] = []
    for key in (*WORDS, *WORDS_BY_KIND.get(kind, ())):
        if key in clean:
            value = clean.pop(key)
            if value not in (None, ""):
                words.append(f"{key.replace('_', ' ')}: {value}")
    for key in NAMED_REFERENCES:
        ref = clean.get(key)
        if isinstance(ref, dict) and "name" in ref:
            clean[key] = {k: v for k, v in ref.items() if k != "name"}
    return clean, words


def _triggers(schema_editor: Any, module: Any, on: bool) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(module.SQLITE_FORWARD if on else module.SQLITE_REVERSE)
    elif vendor == "postgresql":
        schema_editor.execute(module.POSTGRES_FORWARD if on else module.POSTGRES_REVERSE)


def forward(apps: Any, schema_editor: Any) -> None:
    from django.db.models import Q

    Event = apps.get_model("core", "Event")
    Note = apps.get_model("core", "Note")
    guard = __import__("devicebank.core.migrations.0003_event_append_only_triggers", fromlist=["x"])
    rows = Event.objects.filter(Q(reason__gt="") | Q(kind__in=KINDS)).order_by("pk")
    if not rows.exists():
        return
    _triggers(schema_editor, guard, on=False)
    changed, notes = [], []
    for event in rows.iterator(chunk_size=2000):
        data, words = _scrub(event.kind, event.data)
        text = "\n".join([t for t in [event.reason.strip(), *words] if t])
        if text:
            notes.append(Note(event_id=event.pk, text=text))
        if data != event.data or event.reason:
            event.data, event.reason = data, ""
            changed.append(event)
        if len(changed) >= 2000:
            Event.objects.bulk_update(changed, ["data", "reason"])
            changed = []
        if len(notes) >= 2000:
            Note.objects.bulk_create(notes)
            notes = []
    Event.objects.bulk_update(changed, ["data", "reason"])
    Note.objects.bulk_create(notes)
    _triggers(schema_editor, guard, on=True)


class Migration(migrations.Migration):
    dependencies = [("core", "0007_note")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop, elidable=False)]
