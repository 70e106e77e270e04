"""Who viewed a sensitive record: one service writes the log, one selector reads it.

Callers decide which records are sensitive and who may read the log (with their own capability, as the
workbench does for a device's secrets); core keeps no one's rules.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import models

from devicebank.core.events import subject_type_of
from devicebank.core.models import RecordView


def record_view(
    *, viewer: AbstractBaseUser, subject: models.Model, what: str, programme_id: int | None = None
) -> RecordView | None:
    """Log that `viewer` looked at `what` (a code: "secret", "contact_details") of `subject`.

    The system (an anonymous or absent viewer) is not logged: only people view records.
    """
    if viewer is None or not viewer.is_authenticated:
        return None
    who: Any = viewer
    return RecordView.objects.create(
        viewer=who,
        subject_type=subject_type_of(subject),
        subject_id=subject.pk,
        programme_id=programme_id,
        what=what,
    )


def record_views_for(subject: models.Model, *, limit: int = 50) -> models.QuerySet[RecordView]:
    """The latest views of a record, newest first, with who viewed."""
    return RecordView.objects.filter(
        subject_type=subject_type_of(subject), subject_id=subject.pk
    ).select_related("viewer")[:limit]
