"""A register over DEVICEBANK_REGISTER_CHECK_IN_REQUEST_BYTES is kept and checked by a background job; what can
be refused without reading the rows still is, in the request."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from devicebank.conftest import World
from devicebank.core.evidence import evidence_storage
from devicebank.core.models import Event
from devicebank.devices.models import Device
from devicebank.donations.models import RegisterImport
from devicebank.donations.register import RegisterFileError
from devicebank.donations.register.table import Limits
from devicebank.donations.services import donation_create, register_import_check, register_import_start
from devicebank.donations.tests.test_donation_services import REGISTER
from devicebank.donations.tests.test_register_limits import excel_style_bytes

S = RegisterImport.Status


@pytest.fixture(autouse=True)
def _small_threshold(settings: Any) -> None:
    settings.DEVICEBANK_REGISTER_CHECK_IN_REQUEST_BYTES = 100  # every register here counts as large


def _start(world: World, data: bytes, name: str, capture: Any) -> RegisterImport:
    donation = donation_create(programme=world.programme, donor=world.donor, by=None)
    with capture(execute=False) as queued:
        imp, duplicate = register_import_start(
            donation=donation, file_name=name, data=data, by=world.user("warehouse")
        )
    assert not duplicate
    assert imp.status == S.UPLOADED  # kept, not read in the request
    assert len(queued) == 1
    return imp


def test_a_large_register_is_checked_by_the_background_job(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    imp = _start(world, REGISTER, "register.csv", django_capture_on_commit_callbacks)

    done = register_import_check(import_id=imp.pk)

    assert done.status == S.VALIDATED, done.error
    assert (done.rows_total, done.rows_valid, done.file_format) == (3, 3, "csv")
    assert done.headers[0] == "Serial Number"


def test_a_large_register_over_the_limits_fails_its_check_naming_the_file_and_writes_nothing_else(
    world: World, django_capture_on_commit_callbacks: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("devicebank.donations.register.table.DEFAULT_LIMITS", Limits(cells=10))
    imp = _start(world, REGISTER, "big register.csv", django_capture_on_commit_callbacks)
    devices, events = Device.objects.count(), Event.objects.count()
    kept = imp.stored_file
    assert evidence_storage().exists(kept)

    with django_capture_on_commit_callbacks(execute=True):
        done = register_import_check(import_id=imp.pk)

    assert done.status == S.FAILED
    assert done.error.startswith('"big register.csv" has more than 10 filled cells; the limit is 10.')
    assert done.stored_file == ""  # a file that cannot be used is not kept
    assert not evidence_storage().exists(kept)
    assert (Device.objects.count(), Event.objects.count()) == (devices, events)


def test_a_second_delivery_of_the_check_does_nothing(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    imp = _start(world, REGISTER, "register.csv", django_capture_on_commit_callbacks)
    register_import_check(import_id=imp.pk)
    RegisterImport.objects.filter(pk=imp.pk).update(rows_total=99)

    again = register_import_check(import_id=imp.pk)

    assert (again.status, again.rows_total) == (S.VALIDATED, 99)


def test_a_workbook_that_unpacks_past_the_limit_is_refused_in_the_request_with_nothing_kept(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("devicebank.donations.register.table.DEFAULT_LIMITS", Limits(unzipped_bytes=1000))
    donation = donation_create(programme=world.programme, donor=world.donor, by=None)
    data = excel_style_bytes([["Serial Number", "Notes"], ["A1", "x" * 5000]])

    with pytest.raises(
        RegisterFileError, match=r'"bomb\.xlsx" unpacks to .* more than the 1000\.0 KB|allowed'
    ):
        register_import_start(donation=donation, file_name="bomb.xlsx", data=data, by=world.user("warehouse"))

    assert not RegisterImport.objects.exists()


def test_the_page_says_the_file_is_being_checked_then_shows_the_reason_it_failed(
    world: World, django_capture_on_commit_callbacks: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = Client()
    client.force_login(world.user("warehouse"))
    donation = donation_create(programme=world.programme, donor=world.donor, by=None)
    with django_capture_on_commit_callbacks(execute=False):
        upload = client.post(
            f"/donations/{donation.pk}/register/",
            {"file": _upload("register.csv", REGISTER)},
        )
    imp = RegisterImport.objects.get()
    assert upload.status_code == 302
    page = client.get(upload["Location"])
    assert "Checking the file" in page.content.decode()
    assert 'data-status-url="' in page.content.decode()  # the page polls until the check ends

    monkeypatch.setattr("devicebank.donations.register.table.DEFAULT_LIMITS", Limits(rows=2))
    register_import_check(import_id=imp.pk)
    page = client.get(upload["Location"])
    assert "&quot;register.csv&quot; has more than 2 rows" in page.content.decode()
    assert "The file could not be used" in page.content.decode()


def _upload(name: str, data: bytes) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)


def test_a_small_register_with_rejected_rows_is_checked_in_the_request_and_its_commit_succeeds(
    world: World, django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    settings.DEVICEBANK_REGISTER_CHECK_IN_REQUEST_BYTES = 10 * 1024 * 1024
    donation = donation_create(programme=world.programme, donor=world.donor, by=None)
    rejected = REGISTER + b",HP,EliteBook,,Laptop,8 GB,256GB SSD\n"  # no serial and no asset tag

    with django_capture_on_commit_callbacks(execute=True):  # what runs after the commit must not fail
        imp, _ = register_import_start(
            donation=donation, file_name="register.csv", data=rejected, by=world.user("warehouse")
        )

    assert (imp.status, imp.rows_valid, imp.rows_rejected) == (S.VALIDATED, 3, 1)
    assert imp.report_file
