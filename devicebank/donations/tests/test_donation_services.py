"""Donations: lifecycle with chain of custody, and asset-register imports against stock."""

from __future__ import annotations

import datetime as dt

import pytest

from devicebank.conftest import World
from devicebank.core.errors import DomainError, NotPermitted
from devicebank.core.evidence import evidence_read
from devicebank.core.models import Event, EventKind
from devicebank.devices.models import Device
from devicebank.devices.states import DeviceState
from devicebank.donations.models import RegisterImport
from devicebank.donations.register import RegisterFileError
from devicebank.donations.services import (
    donation_arrange_collection,
    donation_cancel,
    donation_create,
    donation_mark_collected,
    donation_mark_received,
    register_import_queue,
    register_import_set_mapping,
    register_import_start,
)
from devicebank.donations.states import InvalidDonationTransition

REGISTER = (
    b"Serial Number,Make,Model,Asset Tag,Type,RAM,Storage\n"
    b"5CG7281XYZ,HP Inc.,EliteBook 840 G3,BAR-00101,Laptop,8 GB,256GB SSD\n"
    b"JX4K2L2,Dell Inc.,Latitude E7470,BAR-00102,Notebook,8GB,512 GB NVMe\n"
    b"PF1ABC23,LENOVO,ThinkPad T480,BAR-00103,laptop,16384 MB,1TB HDD\n"
)


@pytest.fixture
def donation(world: World):  # type: ignore[no-untyped-def]
    return donation_create(
        programme=world.programme,
        donor=world.donor,
        by=world.user("warehouse"),
        description="Retired office laptops",
    )


@pytest.fixture
def queue(world: World, django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    """Confirm an import; its background job starts on commit, which tests run at once."""

    def run(imp: RegisterImport, mode: str = "all_or_nothing") -> RegisterImport:
        with django_capture_on_commit_callbacks(execute=True):
            register_import_queue(imp=imp, mode=mode, by=world.user("warehouse"))
        imp.refresh_from_db()
        return imp

    return run


def _import(world: World, donation, data: bytes = REGISTER, name: str = "register.csv"):  # type: ignore[no-untyped-def]
    imp, duplicate = register_import_start(
        donation=donation, file_name=name, data=data, by=world.user("warehouse")
    )
    return imp, duplicate


def test_a_donation_moves_from_pledge_to_received_with_custody_events_on_each_device(
    world: World, donation, queue
) -> None:  # type: ignore[no-untyped-def]
    imp, _ = _import(world, donation)
    queue(imp)
    devices = list(Device.objects.filter(donation=donation))
    assert len(devices) == 3

    donation_arrange_collection(
        donation=donation,
        by=world.user("warehouse"),
        collection_date=dt.date(2026, 12, 1),
        address="1 High Street",
        collector="Circuit Couriers",
    )
    donation_mark_collected(
        donation=donation, by=world.user("warehouse"), collected_by="Sam at Circuit Couriers"
    )
    donation_mark_received(donation=donation, by=world.user("warehouse"), location=world.warehouse)
    donation.refresh_from_db()
    assert donation.state == "received"
    assert donation.received_at == world.warehouse
    for device in devices:
        custody = Event.objects.filter(
            subject_type="devices.device", subject_id=device.pk, kind=EventKind.DEVICE_CUSTODY_RECORDED
        ).order_by("occurred_at")
        assert [e.data["stage"] for e in custody] == ["collected", "arrived"]
        assert "by" not in custody[0].data  # who collected is in the donation event's erasable note
        assert custody[1].data["location"] == {"id": world.warehouse.pk}
    moves = list(
        Event.objects.filter(
            subject_type="donations.donation", subject_id=donation.pk, kind=EventKind.DONATION_STATE_CHANGED
        ).values_list("data__new", flat=True)
    )
    assert moves == ["collection_arranged", "collected", "received"]
    collected = Event.objects.get(
        subject_id=donation.pk, kind=EventKind.DONATION_STATE_CHANGED, data__new="collected"
    )
    assert collected.note.text == "Collected by Sam at Circuit Couriers"


def test_a_donation_cannot_skip_collection_once_arranged(world: World, donation, queue) -> None:  # type: ignore[no-untyped-def]
    donation_arrange_collection(
        donation=donation,
        by=world.user("warehouse"),
        collection_date=dt.date(2026, 12, 1),
        address="1 High Street",
        collector="Circuit Couriers",
    )
    with pytest.raises(
        InvalidDonationTransition, match="collection arranged donation cannot become received"
    ):
        donation_mark_received(donation=donation, by=world.user("warehouse"), location=world.warehouse)


def test_cancelling_withdraws_pledged_devices(world: World, donation, queue) -> None:  # type: ignore[no-untyped-def]
    imp, _ = _import(world, donation)
    queue(imp)
    with pytest.raises(DomainError, match="Say why"):
        donation_cancel(donation=donation, by=world.user("warehouse"), reason=" ")
    donation_cancel(donation=donation, by=world.user("warehouse"), reason="Donor kept them")
    assert set(Device.objects.filter(donation=donation).values_list("state", flat=True)) == {"withdrawn"}


def test_only_operators_manage_donations(world: World) -> None:
    for persona in ("technician", "donor", "school", "funder", "outsider"):
        with pytest.raises(NotPermitted):
            donation_create(programme=world.programme, donor=world.donor, by=world.user(persona))


def test_a_register_becomes_pledged_devices_with_events(world: World, donation, queue) -> None:  # type: ignore[no-untyped-def]
    imp, duplicate = _import(world, donation)
    assert not duplicate
    assert imp.status == RegisterImport.Status.VALIDATED
    assert (imp.rows_total, imp.rows_valid, imp.rows_rejected) == (3, 3, 0)
    imp = queue(imp)
    assert imp.status == RegisterImport.Status.COMPLETED
    assert imp.devices_created == 3
    hp = Device.objects.get(serial_number="5CG7281XYZ")
    assert (hp.manufacturer, hp.model, hp.state, hp.donor, hp.donation) == (
        "HP",
        "EliteBook 840 G3",
        DeviceState.PLEDGED,
        world.donor,
        donation,
    )
    assert hp.donor_asset_tag == "BAR-00101"
    assert hp.storage_bytes == 256_000_000_000
    assert hp.storage_kind == "ssd"
    assert (
        Event.objects.filter(
            subject_type="devices.device", subject_id=hp.pk, kind=EventKind.DEVICE_REGISTERED
        ).count()
        == 1
    )
    assert (
        Event.objects.filter(subject_type="donations.donation", kind=EventKind.REGISTER_IMPORTED).count() == 1
    )


def test_reimporting_the_same_file_changes_nothing(world: World, donation, queue) -> None:  # type: ignore[no-untyped-def]
    imp, _ = _import(world, donation)
    queue(imp)
    devices, events = Device.objects.count(), Event.objects.count()
    again, duplicate = _import(world, donation)
    assert duplicate
    assert again.pk == imp.pk
    assert (Device.objects.count(), Event.objects.count()) == (devices, events)


def test_an_edited_register_only_adds_its_new_rows(world: World, donation, queue) -> None:  # type: ignore[no-untyped-def]
    imp, _ = _import(world, donation)
    queue(imp)
    longer = REGISTER + b"ZZ99XX1,Acer,Chromebook 314,BAR-00104,Chromebook,4GB,64GB\n"
    imp2, _ = _import(world, donation, longer)
    assert (imp2.rows_valid, imp2.rows_already_imported, imp2.rows_rejected) == (1, 3, 0)
    queue(imp2)
    assert Device.objects.filter(donation=donation).count() == 4


def test_serials_already_in_stock_are_reported_not_doubled(world: World, donation, queue) -> None:  # type: ignore[no-untyped-def]
    clash = f"Serial,Manufacturer\n{world.other_device.serial_number},Dell\nNEW12345,Dell\n".encode()
    imp, _ = _import(world, donation, clash)
    assert (imp.rows_valid, imp.rows_rejected) == (1, 1)
    report = evidence_read(imp.report_file, imp.report_sha256).decode("utf-8-sig")
    # another scheme's device: refused, and the report (read by the donor too) names nothing of it
    assert "cannot be registered here" in report
    assert world.other_device.asset_tag not in report
    with pytest.raises(DomainError, match="1 rows have problems"):
        register_import_queue(imp=imp, mode="all_or_nothing", by=world.user("warehouse"))
    assert not Device.objects.filter(serial_number="NEW12345").exists()  # nothing half-written
    queue(imp, "valid_rows")
    assert Device.objects.filter(serial_number="NEW12345", donation=donation).exists()
    assert Device.objects.filter(serial_key=world.other_device.serial_key).count() == 1


def test_an_unusable_file_writes_nothing(world: World, donation, queue) -> None:  # type: ignore[no-untyped-def]
    before = (RegisterImport.objects.count(), Device.objects.count(), Event.objects.count())
    for data, name in [
        (b"", "empty.csv"),
        (b"\x89PNG\r\n\x1a\n" + b"\0" * 50, "photo.png"),
        (b"Make,Model\nDell,Latitude\n", "noserial.csv"),
    ]:
        with pytest.raises(RegisterFileError):
            _import(world, donation, data, name)
    with pytest.raises(RegisterFileError, match="the limit is"):
        register_import_start(
            donation=donation, file_name="huge.csv", data=b"x" * 2000, by=None, max_bytes=1000
        )
    assert (RegisterImport.objects.count(), Device.objects.count(), Event.objects.count()) == before


def test_unknown_headers_wait_for_the_person_to_map_them(world: World, donation, queue) -> None:  # type: ignore[no-untyped-def]
    data = b"Serial,Maker Name,Colour\nABC12345,Dell,Black\n"
    imp, _ = _import(world, donation, data)
    assert imp.status == RegisterImport.Status.NEEDS_MAPPING
    with pytest.raises(DomainError, match="Confirm the columns"):
        register_import_queue(imp=imp, mode="all_or_nothing", by=world.user("warehouse"))
    with pytest.raises(DomainError):
        register_import_set_mapping(
            imp=imp,
            choice={"Maker Name": "manufacturer", "Colour": "manufacturer"},
            by=world.user("warehouse"),
        )
    imp = register_import_set_mapping(
        imp=imp, choice={"Maker Name": "manufacturer", "Colour": None}, by=world.user("warehouse")
    )
    assert imp.status == RegisterImport.Status.VALIDATED
    queue(imp)
    assert Device.objects.get(serial_number="ABC12345").manufacturer == "Dell"


def test_the_check_shows_the_first_rejected_rows_and_why(world: World, donation, queue) -> None:  # type: ignore[no-untyped-def]
    data = b"Serial,Make,RAM\nGOOD1234,Dell,8GB\n--,Dell,8GB\nBAD99999,HP,lots\n"
    imp, _ = _import(world, donation, data)
    assert [row["line"] for row in imp.rejected_preview] == [3, 4]
    assert all(row["reasons"] for row in imp.rejected_preview)
