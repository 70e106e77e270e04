"""No personal data and no free text in events: the words go to erasable notes.

The test settings turn on DEVICEBANK_CHECK_EVENT_DATA, so every event any test's services write (one by one or
in bulk) is checked by core.privacy: the whole suite is the test that the services keep the rule. The tests
here show the check catches each kind of personal data, and that notes can be erased.
"""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.test import Client, override_settings

from devicebank.conftest import World
from devicebank.core.bulk import EVENT_COLUMNS, insert_rows, json_text
from devicebank.core.events import note_text, record_event
from devicebank.core.models import Event, EventKind, Note
from devicebank.core.notes import note_erase
from devicebank.core.privacy import PersonalDataInEvent, personal_data_in
from devicebank.devices.services import device_transition
from devicebank.devices.states import DeviceState


@pytest.mark.parametrize(
    "data",
    [
        {"name": "Jane Doe"},
        {"donor": {"id": 3, "name": "Acme"}},
        {"recipient_email": "x"},
        {"contact": "jane.doe@example.org"},
        {"value": "jane.doe@example.org"},
        {"value": "07700 900123"},
        {"value": "+44 7700 900123"},
        {"value": "SW1A 1AA"},
        {"date_of_birth": "2010-04-01"},
        {"dob": "2010-04-01"},
        {"reason": "x"},
        {"consignment_note": "WTN-1"},
        {"old": "ready", "comment": "fine"},
        {"items": [{"label_text": "ok"}, {"said": "She asked us to wipe it twice"}]},
    ],
)
def test_the_check_finds_personal_data_and_free_text(data: dict[str, object]) -> None:
    assert personal_data_in(data)


@pytest.mark.parametrize(
    "data",
    [
        {"old": "ready", "new": "with_recipient", "handover_kind": "loan", "location": {"id": 4}},
        {"certificate": "SC-2026-000001", "sha256": "0" * 64, "evidence": [{"type": "x.y", "id": 1}]},
        {"new": {"model": "Latitude 5490", "cpu_model": "Intel(R) Core(TM) i5-8350U CPU @ 1.70GHz"}},
        {"weight_kg": "2.15", "handed_over_on": "2026-12-01", "drive_serial": "WD-WCC4N0123456"},
        {"cost": "42.50", "minutes": 30, "import_id": 7, "prefix": "dbk_ab12"},
    ],
)
def test_ids_states_codes_and_device_descriptions_pass(data: dict[str, object]) -> None:
    assert personal_data_in(data) == []


@pytest.mark.django_db
def test_record_event_refuses_personal_data_while_the_check_is_on(world: World) -> None:
    with pytest.raises(PersonalDataInEvent, match=r"data\.name"):
        record_event(kind=EventKind.DEVICE_MOVED, subject=world.device, actor=None, data={"name": "Jane Doe"})
    with override_settings(DEVICEBANK_CHECK_EVENT_DATA=False):
        record_event(kind=EventKind.DEVICE_MOVED, subject=world.device, actor=None, data={"name": "Jane Doe"})


@pytest.mark.django_db
def test_bulk_event_writes_are_checked_too(world: World) -> None:
    row = (10**9, world.device.created_at, None, "device_moved", "devices.device", 1, None, "", "{}", None)
    with pytest.raises(PersonalDataInEvent, match="reason"):
        insert_rows(Event, EVENT_COLUMNS, [(*row[:7], "Moved for Jane", *row[8:])])
    with pytest.raises(PersonalDataInEvent, match="postcode"):
        insert_rows(Event, EVENT_COLUMNS, [(*row[:8], json_text({"at": "LS6 3AA"}), None)])


@pytest.mark.django_db
def test_a_reason_goes_to_an_erasable_note_and_the_event_keeps_no_words(world: World) -> None:
    device = device_transition(
        device=world.device, to=DeviceState.RESERVED, by=world.user("manager"), reason="For Jane Doe's son"
    )
    event = Event.objects.filter(subject_id=device.pk, kind=EventKind.DEVICE_STATE_CHANGED).last()
    assert event is not None
    assert event.reason == ""
    assert "Jane" not in json_text(event.data)
    assert note_text(event) == "For Jane Doe's son"

    note_erase(note=event.note, by=world.user("admin"))
    event = Event.objects.select_related("note").get(pk=event.pk)
    assert note_text(event) == ""
    assert event.note.text == ""
    assert event.note.erased_at is not None
    erased = Event.objects.get(kind=EventKind.NOTE_ERASED)
    assert erased.data == {"event_id": event.pk}
    assert erased.actor == world.user("admin")


@pytest.mark.django_db
def test_an_erased_note_is_gone_from_the_timeline_and_the_api(client: Client, world: World) -> None:
    device_transition(device=world.device, to=DeviceState.RESERVED, by=None, reason="For Jane Doe's son")
    client.force_login(world.user("manager"))
    url = f"/api/v1/devices/{world.device.asset_tag}/events/"
    assert "For Jane Doe's son" in [e["reason"] for e in client.get(url).json()["results"]]
    note_erase(note=Note.objects.get(text="For Jane Doe's son"), by=None)
    assert "Jane" not in client.get(url).content.decode()
    assert "Jane" not in client.get(f"/devices/{world.device.asset_tag}/").content.decode()


@pytest.mark.django_db(transaction=True)
def test_the_migration_moves_earlier_events_words_into_notes_and_keeps_the_log_append_only() -> None:
    before, after = [("core", "0007_note")], [("core", "0008_event_words_to_notes")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    try:
        old = MigrationExecutor(connection).loader.project_state(before).apps
        OldEvent = old.get_model("core", "Event")
        kept = OldEvent.objects.create(
            kind="device_state_changed",
            subject_type="devices.device",
            subject_id=1,
            reason="Left with Jane Doe",
            data={"old": "ready", "new": "reserved", "location": {"id": 4, "name": "Depot"}},
        )
        collected = OldEvent.objects.create(
            kind="donation_state_changed",
            subject_type="donations.donation",
            subject_id=1,
            data={"old": "collection_arranged", "new": "collected", "collected_by": "Sam at Couriers"},
        )
        plain = OldEvent.objects.create(kind="device_registered", subject_type="devices.device", subject_id=2)

        executor = MigrationExecutor(connection)
        executor.migrate(after)

        kept_now, collected_now = Event.objects.get(pk=kept.pk), Event.objects.get(pk=collected.pk)
        assert kept_now.reason == ""
        assert kept_now.data["location"] == {"id": 4}
        assert Note.objects.get(event_id=kept.pk).text == "Left with Jane Doe"
        assert collected_now.data == {"old": "collection_arranged", "new": "collected"}
        assert Note.objects.get(event_id=collected.pk).text == "collected by: Sam at Couriers"
        assert not Note.objects.filter(event_id=plain.pk).exists()
        for event in Event.objects.all():
            assert personal_data_in(event.data) == []
        # the triggers are back: the log refuses changes again
        with pytest.raises(DatabaseError), transaction.atomic():
            OldEvent.objects.filter(pk=plain.pk).update(kind="device_moved")
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
