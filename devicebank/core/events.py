"""Writing events. Each domain has one small helper per kind that calls `record_event`."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, cast

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import models
from django.utils import timezone

from devicebank.core.models import Event, EventKind, Note
from devicebank.core.privacy import check_event


def subject_type_of(subject: models.Model | type[models.Model]) -> str:
    return subject._meta.label_lower


def record_event(
    *,
    kind: EventKind,
    subject: models.Model,
    actor: AbstractBaseUser | None,
    programme_id: int | None = None,
    reason: str = "",
    data: Mapping[str, Any] | None = None,
    occurred_at: Any = None,
) -> Event:
    """Write one event. `data` holds ids, states, counts and codes, never personal data or free text
    (core.privacy); `reason`, the words a person gave, is kept in an erasable `Note` linked to the event."""
    # `actor` is settings.AUTH_USER_MODEL; core sits below people and does not import the model it names.
    who = cast(Any, actor) if actor is not None and actor.is_authenticated else None
    payload = dict(data or {})
    if settings.DEVICEBANK_CHECK_EVENT_DATA:
        check_event(kind, "", payload)
    event = Event.objects.create(
        kind=kind,
        subject_type=subject_type_of(subject),
        subject_id=subject.pk,
        actor=who,
        programme_id=programme_id,
        data=payload,
        occurred_at=occurred_at or timezone.now(),
    )
    if reason.strip():
        Note.objects.create(event=event, text=reason.strip())
    return event


def events_for(subject: models.Model) -> models.QuerySet[Event]:
    return Event.objects.for_subject(subject_type_of(subject), subject.pk).select_related("actor", "note")


def note_text(event: Event) -> str:
    """The words written with an event, "" when there are none or they were erased."""
    try:
        note = event.note
    except Note.DoesNotExist:
        return ""
    return "" if note.is_erased else note.text


def bulk_record_events(events: Iterable[Event], batch_size: int = 2000) -> None:
    rows = list(events)
    if settings.DEVICEBANK_CHECK_EVENT_DATA:
        for event in rows:
            check_event(event.kind, event.reason, event.data)
    Event.objects.bulk_create(rows, batch_size=batch_size)


def record_export(
    *,
    by: AbstractBaseUser | None,
    subject: models.Model,
    what: str,
    rows: int,
    programme_id: int | None = None,
) -> Event:
    """`DATA_EXPORTED`: who took which download, of what, and how many rows (or pages, or files) it held.

    Every download and export calls this once, as it answers (CSV, PDF, ZIP, raw evidence, labels; pages and
    API alike). `what` is a code naming the export ("certificate_pdf", "rejected_rows_csv"), never words.
    """
    return record_event(
        kind=EventKind.DATA_EXPORTED,
        subject=subject,
        actor=by,
        programme_id=programme_id,
        data={"export": what, "rows": rows},
    )
