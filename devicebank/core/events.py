"""Writing events. Each domain has one small helper per kind that calls `record_event`."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, cast

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import models
from django.utils import timezone

from devicebank.core.models import Event, EventKind


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
    # `actor` is settings.AUTH_USER_MODEL; core sits below people and does not import the model it names.
    who = cast(Any, actor) if actor is not None and actor.is_authenticated else None
    return Event.objects.create(
        kind=kind,
        subject_type=subject_type_of(subject),
        subject_id=subject.pk,
        actor=who,
        programme_id=programme_id,
        reason=reason,
        data=dict(data or {}),
        occurred_at=occurred_at or timezone.now(),
    )


def events_for(subject: models.Model) -> models.QuerySet[Event]:
    return Event.objects.for_subject(subject_type_of(subject), subject.pk).select_related("actor")


def bulk_record_events(events: Iterable[Event], batch_size: int = 2000) -> None:
    Event.objects.bulk_create(list(events), batch_size=batch_size)
