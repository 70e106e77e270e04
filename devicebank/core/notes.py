"""Erasing the words kept with events (an erasure request, a note that should never have named someone)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from devicebank.core.events import record_event
from devicebank.core.models import EventKind, Note


@transaction.atomic
def note_erase(*, note: Note, by: AbstractBaseUser | None) -> Note:
    """Blank a note's text for good and record `NOTE_ERASED` (which names the note and its event, no words).

    Who may erase is the caller's decision (the admin is for platform admins); erasing twice does nothing.
    """
    locked: Note = Note.objects.select_for_update().select_related("event").get(pk=note.pk)
    if locked.is_erased:
        return locked
    locked.text = ""
    locked.erased_at = timezone.now()
    locked.erased_by = by if by is not None and by.is_authenticated else None  # type: ignore[assignment]
    locked.save(update_fields=["text", "erased_at", "erased_by"])
    event: Any = locked.event
    record_event(
        kind=EventKind.NOTE_ERASED,
        subject=locked,
        actor=by,
        programme_id=event.programme_id,
        data={"event_id": event.pk},
    )
    return locked
