"""An erasure record shows its run's own start and end apart from the upload, and a serial typed at review reaches
the certificate marked as supplied by a person (the log's own serial is never rewritten)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils.timezone import localtime

from devicebank.conftest import World
from devicebank.core.errors import DomainError
from devicebank.core.models import Event
from devicebank.devices.models import Device
from devicebank.devices.states import DeviceState
from devicebank.devices.tests.factories import make_device
from devicebank.sanitisation.models import DriveErasure
from devicebank.sanitisation.services import (
    certificate_issue_for_device,
    drive_erasure_record,
    drive_erasure_review,
    sanitisation_record_outcome,
)
from devicebank.sanitisation.tests.test_rule_and_records import _run

pytestmark = pytest.mark.django_db


@pytest.fixture
def received(world: World) -> Device:
    return make_device(programme=world.programme, location=world.warehouse, state=DeviceState.RECEIVED)


def test_a_serial_typed_at_review_is_on_the_certificate_marked_as_supplied_by_a_person(
    world: World, received: Device
) -> None:
    tech = world.user("technician")
    record = drive_erasure_record(device=received, by=tech, parsed=_run(""))
    assert record.flagged  # no serial in the log
    drive_erasure_review(
        record=record, by=tech, note="Serial read off the drive's label", serial="  WD-ZZZ 999 "
    )
    record.refresh_from_db()
    assert (record.drive_serial, record.serial_supplied) == ("", "WD-ZZZ 999")
    event = Event.objects.filter(data__erasure_id=record.pk, data__reviewed=True).get()
    assert event.data["serial_supplied"] is True
    assert "WD-ZZZ" not in str(event.data)

    sanitisation_record_outcome(device=received, by=tech)
    facts = certificate_issue_for_device(device=received, by=tech).facts
    assert facts["drives"][0]["serial_number"] == "WD-ZZZ 999"
    assert facts["drives"][0]["serial_supplied_by"] == "a person, at review"


def test_a_serial_from_the_log_is_not_marked_as_supplied(world: World, received: Device) -> None:
    tech = world.user("technician")
    quick = _run("WD-AAA111", warnings=["Erased 500 GB in 1 second: faster than any drive can write."])
    record = drive_erasure_record(device=received, by=tech, parsed=quick)
    drive_erasure_review(record=record, by=tech, note="Log checked")
    sanitisation_record_outcome(device=received, by=tech)
    drive = certificate_issue_for_device(device=received, by=tech).facts["drives"][0]
    assert drive["serial_number"] == "WD-AAA111"
    assert "serial_supplied_by" not in drive


def test_a_supplied_serial_longer_than_a_serial_can_be_is_refused(world: World, received: Device) -> None:
    tech = world.user("technician")
    record = drive_erasure_record(device=received, by=tech, parsed=_run(""))
    with pytest.raises(DomainError, match="at most 100"):
        drive_erasure_review(record=record, by=tech, note="Checked", serial="X" * 101)
    assert DriveErasure.objects.get(pk=record.pk).reviewed_at is None


def test_the_device_page_shows_the_run_s_start_and_end_apart_from_the_upload(
    world: World, received: Device, client: Client
) -> None:
    tech = world.user("technician")
    run = _run("WD-AAA111")
    record = drive_erasure_record(device=received, by=tech, parsed=run)
    client.force_login(tech)
    html = client.get(f"/sanitisation/devices/{received.asset_tag}/").content.decode()
    assert run.started_at is not None
    assert run.finished_at is not None
    assert f"Started {localtime(run.started_at):%-d %b %Y, %H:%M}" in html
    assert f"Ended {localtime(run.finished_at):%-d %b %Y, %H:%M}" in html
    assert f"Uploaded {localtime(record.recorded_at):%-d %b %Y, %H:%M}" in html


def test_the_review_form_takes_a_serial_when_the_log_has_none(
    world: World, received: Device, client: Client
) -> None:
    tech = world.user("technician")
    record = drive_erasure_record(device=received, by=tech, parsed=_run(""))
    client.force_login(tech)
    url = f"/sanitisation/devices/{received.asset_tag}/"
    assert 'name="serial"' in client.get(url).content.decode()
    response = client.post(
        url, {"action": "review", "record": record.pk, "note": "Read the label", "serial": "S3Z2NB0K7"}
    )
    assert response.status_code in (200, 302, 303)
    record.refresh_from_db()
    assert record.serial_supplied == "S3Z2NB0K7"
    page = client.get(url).content.decode()
    assert "S3Z2NB0K7 (supplied by a person)" in page
