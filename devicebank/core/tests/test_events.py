"""The event log is append-only: in the ORM and in the database itself."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from devicebank.conftest import World
from devicebank.core.models import Event, EventImmutable


def test_an_event_cannot_be_changed_through_the_orm(world: World) -> None:
    event = Event.objects.first()
    assert event is not None
    event.reason = "rewritten history"
    with pytest.raises(EventImmutable):
        event.save()
    with pytest.raises(EventImmutable):
        Event.objects.filter(pk=event.pk).update(reason="rewritten")


def test_an_event_cannot_be_deleted_through_the_orm(world: World) -> None:
    event = Event.objects.first()
    assert event is not None
    with pytest.raises(EventImmutable):
        event.delete()
    with pytest.raises(EventImmutable):
        Event.objects.all().delete()


def test_the_database_refuses_to_rewrite_an_event(world: World) -> None:
    event = Event.objects.first()
    assert event is not None
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE core_event SET reason = %s WHERE id = %s", ["rewritten", event.pk])
    event.refresh_from_db()
    assert event.reason != "rewritten"


def test_only_the_outbox_marker_may_be_set(world: World) -> None:
    event = Event.objects.first()
    assert event is not None
    Event.objects.filter(pk=event.pk).update(processed_at=event.occurred_at)
    event.refresh_from_db()
    assert event.processed_at == event.occurred_at


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite keeps DELETE open for test flushes")
def test_postgresql_refuses_to_delete_an_event(world: World) -> None:
    event = Event.objects.first()
    assert event is not None
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM core_event WHERE id = %s", [event.pk])
