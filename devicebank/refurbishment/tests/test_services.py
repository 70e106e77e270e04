"""Workbench services: bad input gets a clear message with nothing half-written; stock never goes negative;
secrets are encrypted at rest and each reveal is logged; recycling ends in `recycled` with its evidence."""

from __future__ import annotations

import datetime as dt
import logging
from decimal import Decimal

import pytest
from django.utils import timezone

from devicebank.conftest import World
from devicebank.core.errors import Conflict, DomainError, NotPermitted
from devicebank.core.models import Event, EventKind
from devicebank.devices.models import Device
from devicebank.devices.states import DeviceState
from devicebank.devices.tests.factories import make_device
from devicebank.refurbishment.models import (
    DeviceSecret,
    Grade,
    ItemOutcome,
    LicenceChannel,
    OperatingSystem,
    OsInstall,
    Part,
    PartKind,
    RecyclingRecord,
    RepairJob,
    Specification,
    TestRun,
)
from devicebank.refurbishment.selectors import readiness, throughput
from devicebank.refurbishment.services import (
    BulkAction,
    ItemInput,
    SpecificationValues,
    decision_estimate,
    device_mark_ready,
    device_recycle,
    device_secret_record,
    device_secret_reveal,
    device_tests_record,
    grade_record,
    os_install_record,
    part_adjust,
    part_create,
    parts_harvest,
    refurbishment_bulk_apply,
    repair_record,
    specification_save,
)
from devicebank.refurbishment.tests.conftest import LAPTOP_SPEC, all_pass, bench_laptop, finish_bench_work

S = DeviceState
KEY = "VK7JG-NPHTM-C97JM-9MPGT-3V66T"


def _events(kind: EventKind) -> int:
    return Event.objects.filter(kind=kind).count()


# -- tests and grades ------------------------------------------------------------------------------------


def test_recording_tests_moves_a_sanitised_device_into_refurbishment(world: World, laptop: Device) -> None:
    run = device_tests_record(device=laptop, by=world.user("technician"), results=all_pass(laptop))
    assert run.device.state == S.IN_REFURBISHMENT
    assert run.sanitisation_id == laptop.sanitisation_id
    event = Event.objects.filter(kind=EventKind.DEVICE_TESTED, subject_id=laptop.pk).get()
    assert event.data["failed"] == []
    assert "keyboard" in event.data["passed"]


def test_a_required_item_cannot_be_not_applicable(world: World, laptop: Device) -> None:
    with pytest.raises(DomainError, match="Keyboard: every key works must pass"):
        device_tests_record(
            device=laptop, by=None, results=[ItemInput("keyboard", ItemOutcome.NOT_APPLICABLE)]
        )
    assert not TestRun.objects.filter(device=laptop).exists()


def test_a_device_not_yet_sanitised_cannot_be_tested(world: World) -> None:
    device = make_device(programme=world.programme, location=world.warehouse, state=S.RECEIVED)
    with pytest.raises(DomainError, match="only sanitised devices"):
        device_tests_record(device=device, by=None, results=all_pass(device))


def test_a_grade_without_tests_is_refused(world: World, laptop: Device) -> None:
    with pytest.raises(DomainError, match="no test results in this pass: test it before grading") as refused:
        grade_record(device=laptop, by=world.user("technician"), cosmetic="A")
    assert refused.value.field == "cosmetic"
    assert not Grade.objects.filter(device=laptop).exists()
    assert _events(EventKind.DEVICE_GRADED) == Grade.objects.count()


def test_a_grade_needs_every_item_tested(world: World, laptop: Device) -> None:
    device_tests_record(device=laptop, by=None, results=[ItemInput("power_on", ItemOutcome.PASS)])
    with pytest.raises(DomainError, match="not tested: Screen"):
        grade_record(device=laptop, by=None, cosmetic="A")


def test_the_grade_combines_cosmetic_grade_and_performance_band(world: World, laptop: Device) -> None:
    run = device_tests_record(device=laptop, by=None, results=all_pass(laptop), tpm_version="2.0")
    grade = grade_record(device=run.device, by=None, cosmetic="A")
    assert (grade.functional_pass, grade.cosmetic, grade.performance, grade.final) == (True, "A", "high", "A")


# -- licences and secrets --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "bad",
    [
        "VK7JG-NPHTM-C97JM-9MPGT",
        "VK7JG-NPHTM-C97JM-9MPGT-3V66A",
        "VK7JG-NPHTN-C97JM-9MPGT-3V66T",
        "12345-67890-12345-67890-12345",
    ],
)
def test_a_licence_key_in_the_wrong_format_is_refused_and_nothing_is_written(
    world: World, laptop: Device, bad: str, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG), pytest.raises(DomainError) as refused:
        os_install_record(
            device=laptop,
            by=None,
            os=OperatingSystem.WINDOWS_11_PRO,
            licence_channel=LicenceChannel.MAR_CITIZENSHIP,
            licence_key=bad,
        )
    assert refused.value.field == "licence_key"
    assert "five groups of five" in refused.value.message
    assert bad not in refused.value.message
    assert bad not in caplog.text
    assert not OsInstall.objects.filter(device=laptop).exists()
    assert not DeviceSecret.objects.filter(device=laptop).exists()
    laptop.refresh_from_db()
    assert laptop.state == S.SANITISED  # not even moved into refurbishment


def test_a_key_typed_in_lower_case_without_hyphens_is_normalised_and_kept_encrypted(
    world: World, laptop: Device
) -> None:
    os_install_record(
        device=laptop,
        by=None,
        os=OperatingSystem.WINDOWS_11_PRO,
        licence_channel=LicenceChannel.MAR_COMMERCIAL,
        licence_key=KEY.replace("-", "").lower(),
        coa_number="00330-80000-00000-AA123",
    )
    secrets = {s.kind: s for s in DeviceSecret.objects.filter(device=laptop)}
    assert set(secrets) == {"licence_key", "coa_number"}
    assert KEY not in secrets["licence_key"].ciphertext
    assert "3V66T" not in secrets["licence_key"].ciphertext
    assert secrets["licence_key"].hint == "3V66T"
    event = Event.objects.get(kind=EventKind.OS_INSTALLED, subject_id=laptop.pk)
    assert KEY not in str(event.data)
    assert "3V66T" not in str(event.data)
    assert event.data["licence_key_recorded"] is True


def test_a_commercial_licence_needs_the_original_coa(world: World, laptop: Device) -> None:
    with pytest.raises(DomainError, match="original COA number"):
        os_install_record(
            device=laptop,
            by=None,
            os=OperatingSystem.WINDOWS_11_PRO,
            licence_channel=LicenceChannel.MAR_COMMERCIAL,
            licence_key=KEY,
        )


def test_linux_takes_no_product_key(world: World, laptop: Device) -> None:
    with pytest.raises(DomainError, match="Only Windows"):
        os_install_record(
            device=laptop,
            by=None,
            os=OperatingSystem.LINUX,
            licence_channel=LicenceChannel.NONE,
            licence_key=KEY,
        )


def test_a_reveal_by_a_technician_or_manager_is_logged(world: World, laptop: Device) -> None:
    secret = device_secret_record(
        device=laptop, by=world.user("technician"), kind="bios_password", value="Tr0ub4dor&3"
    )
    assert "Tr0ub4dor" not in secret.ciphertext
    assert secret.hint == ""
    for persona in ("technician", "manager"):
        assert device_secret_reveal(secret=secret, by=world.user(persona)) == "Tr0ub4dor&3"
    viewed = Event.objects.filter(
        kind=EventKind.SECRET_VIEWED, subject_type="refurbishment.devicesecret", subject_id=secret.pk
    )
    assert [e.actor for e in viewed] == [world.user("technician"), world.user("manager")]
    assert all("Tr0ub4dor" not in str(e.data) for e in Event.objects.all())


@pytest.mark.parametrize("persona", ["admin", "warehouse", "donor", "school", "funder", "outsider"])
def test_other_roles_cannot_reveal_a_secret(world: World, laptop: Device, persona: str) -> None:
    secret = device_secret_record(device=laptop, by=None, kind="admin_password", value="hunter2hunter2")
    with pytest.raises(NotPermitted):
        device_secret_reveal(secret=secret, by=world.user(persona))
    assert not Event.objects.filter(kind=EventKind.SECRET_VIEWED).exists()


# -- repairs and parts -----------------------------------------------------------------------------------


@pytest.fixture
def chargers(world: World) -> Part:
    return part_create(
        programme=world.programme,
        by=world.user("technician"),
        kind=PartKind.CHARGER,
        description="65 W USB-C",
        quantity=2,
    )


def test_a_repair_takes_its_parts_out_of_stock(world: World, laptop: Device, chargers: Part) -> None:
    job = repair_record(
        device=laptop,
        by=world.user("technician"),
        fault="No charger",
        action="Supplied a charger",
        minutes=5,
        cost="12.50",
        parts=[(chargers, 1)],
    )
    chargers.refresh_from_db()
    assert chargers.quantity == 1
    assert job.parts_used.get().quantity == 1
    stock = Event.objects.filter(kind=EventKind.PART_STOCK_CHANGED, subject_id=chargers.pk).last()
    assert stock is not None
    assert (stock.data["old"], stock.data["new"], stock.data["repair_id"]) == (
        2,
        1,
        job.pk,
    )


def test_stock_never_goes_negative_and_nothing_is_half_written(
    world: World, laptop: Device, chargers: Part
) -> None:
    screens = part_create(
        programme=world.programme, by=None, kind=PartKind.SCREEN, description="14in FHD panel", quantity=5
    )
    events_before = Event.objects.count()
    with pytest.raises(DomainError, match="65 W USB-C: 2 in stock, 3 needed") as refused:
        repair_record(
            device=laptop,
            by=None,
            fault="Screen and charger",
            action="Replaced both",
            parts=[(screens, 1), (chargers, 3)],
        )
    assert refused.value.field == "parts"
    chargers.refresh_from_db()
    screens.refresh_from_db()
    assert (chargers.quantity, screens.quantity) == (2, 5)
    assert not RepairJob.objects.exists()
    assert Event.objects.count() == events_before
    with pytest.raises(DomainError, match="Only 2 in stock: cannot take 3"):
        part_adjust(part=chargers, by=None, delta=-3, reason="Stocktake")


def test_the_database_refuses_negative_stock_too(world: World, chargers: Part) -> None:
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Part.objects.filter(pk=chargers.pk).update(quantity=-1)


def test_harvesting_a_device_adds_its_parts_to_stock(world: World, laptop: Device, chargers: Part) -> None:
    parts_harvest(device=laptop, by=world.user("technician"), parts=[(chargers, 1)])
    chargers.refresh_from_db()
    assert chargers.quantity == 3
    event = Event.objects.filter(kind=EventKind.PART_STOCK_CHANGED, subject_id=chargers.pk).last()
    assert event is not None
    assert event.data["device_id"] == laptop.pk
    assert event.note.text == f"Harvested from {laptop.asset_tag}"
    assert event.reason == ""


def test_parts_from_another_programme_cannot_be_used(world: World, laptop: Device) -> None:
    theirs = part_create(
        programme=world.other_programme, by=None, kind=PartKind.BATTERY, description="Battery", quantity=4
    )
    with pytest.raises(DomainError, match="not in this programme's stock"):
        repair_record(device=laptop, by=None, fault="Battery", action="Replaced", parts=[(theirs, 1)])


def test_warehouse_staff_cannot_record_repairs(world: World, laptop: Device) -> None:
    with pytest.raises(NotPermitted):
        repair_record(device=laptop, by=world.user("warehouse"), fault="x", action="y")


# -- repair or recycle -----------------------------------------------------------------------------------


def test_the_recommendation_uses_the_programmes_value_and_labour_rate(
    world: World, laptop_spec: Specification, laptop: Device
) -> None:
    cheap = decision_estimate(device=laptop, parts_cost=Decimal("30"), minutes=60)
    assert (cheap.cost, cheap.working_value, cheap.recommendation) == (
        Decimal("55.00"),
        Decimal("150.00"),
        "repair",
    )
    dear = decision_estimate(device=laptop, parts_cost=Decimal("180"), minutes=60)
    assert dear.recommendation == "recycle"  # it has not passed a power-on test
    device_tests_record(device=laptop, by=None, results=[ItemInput("power_on", ItemOutcome.PASS)])
    assert decision_estimate(device=laptop, parts_cost=Decimal("180"), minutes=60).recommendation == "harvest"


def test_recycling_records_the_weee_evidence_and_ends_recycled(world: World, laptop: Device) -> None:
    record = device_recycle(
        device=laptop,
        by=world.user("technician"),
        recycler="Northbridge WEEE Ltd",
        consignment_note="WTN-2026-0042",
        weight_kg=Decimal("2.15"),
        handed_over_on=timezone.localdate(),
    )
    laptop.refresh_from_db()
    assert laptop.state == S.RECYCLED
    assert RecyclingRecord.objects.get(device=laptop) == record
    recycled = Event.objects.get(kind=EventKind.DEVICE_RECYCLED, subject_id=laptop.pk)
    assert "consignment_note" not in recycled.data  # words stay on the erasable record
    assert record.consignment_note == "WTN-2026-0042"
    assert recycled.data["weight_kg"] == "2.15"
    change = Event.objects.filter(kind=EventKind.DEVICE_STATE_CHANGED, subject_id=laptop.pk).last()
    assert change is not None
    assert change.data["evidence"] == [{"type": "refurbishment.recyclingrecord", "id": record.pk}]
    figures = throughput(user=world.user("manager"))
    assert (figures.recycled_devices, figures.landfill_diverted_kg) == (1, Decimal("2.15"))
    with pytest.raises(Conflict, match="already recycled"):
        device_recycle(
            device=laptop,
            by=None,
            recycler="Again",
            consignment_note="X",
            weight_kg=Decimal(1),
            handed_over_on=timezone.localdate(),
        )
    assert RecyclingRecord.objects.count() == 1


def test_recycling_needs_a_weight_and_a_date_that_has_happened(world: World, laptop: Device) -> None:
    with pytest.raises(DomainError, match="today or earlier"):
        device_recycle(
            device=laptop,
            by=None,
            recycler="R",
            consignment_note="N",
            weight_kg=Decimal(2),
            handed_over_on=timezone.localdate() + dt.timedelta(days=2),
        )
    laptop.refresh_from_db()
    assert laptop.state == S.SANITISED
    assert not RecyclingRecord.objects.exists()


# -- bulk and throughput ---------------------------------------------------------------------------------


def test_bulk_actions_take_a_pallet_to_ready_with_one_outcome_per_device(world: World) -> None:
    pallet = [bench_laptop(world) for _ in range(3)]
    pallet.append(make_device(programme=world.programme, location=world.warehouse, state=S.RECEIVED))
    by = world.user("technician")
    steps = [
        (BulkAction.TESTS_PASSED, {"not_applicable": ["webcam"]}),
        (BulkAction.GRADE, {"cosmetic": "B"}),
        (BulkAction.OS_INSTALL, {"os": "linux", "licence_channel": "none", "image_name": "Ubuntu 24.04 LTS"}),
        (BulkAction.READY, {}),
    ]
    for action, params in steps:
        outcomes = refurbishment_bulk_apply(devices=pallet, by=by, action=action, params=params)
        assert [o.ok for o in outcomes] == [True, True, True, False]
        assert outcomes[3].asset_tag == pallet[3].asset_tag
        assert outcomes[3].message
    states = [Device.objects.get(pk=d.pk).state for d in pallet]
    assert states == [S.READY, S.READY, S.READY, S.RECEIVED]
    assert TestRun.objects.filter(device=pallet[3]).count() == 0


def test_throughput_counts_devices_made_ready_per_day_per_person(world: World) -> None:
    by = world.user("technician")
    for _ in range(2):
        device_mark_ready(device=finish_bench_work(bench_laptop(world), by=by), by=by)
    figures = throughput(user=world.user("manager"))
    assert figures.by_person["Technician"] == 2
    today = [(row.technician, row.devices) for row in figures.rows if row.day == timezone.localdate()]
    assert ("Technician", 2) in today
    assert ("devicebank (system)", 2) in today  # the world's own ready devices, made by the system
    with pytest.raises(Exception, match="programme managers"):
        throughput(user=world.user("technician"))


# -- specifications --------------------------------------------------------------------------------------


def test_only_managers_change_specifications_and_each_change_is_an_event(world: World) -> None:
    with pytest.raises(NotPermitted):
        specification_save(
            programme=world.programme, device_type="laptop", values=LAPTOP_SPEC, by=world.user("technician")
        )
    spec = specification_save(
        programme=world.programme, device_type="laptop", values=LAPTOP_SPEC, by=world.user("manager")
    )
    changed = SpecificationValues(**{**LAPTOP_SPEC.__dict__, "min_battery_percent": 75})
    specification_save(
        programme=world.programme, device_type="laptop", values=changed, by=world.user("manager")
    )
    events = Event.objects.filter(kind=EventKind.SPECIFICATION_CHANGED, subject_id=spec.pk)
    assert events.count() == 2
    assert events.last().data["old"] == {"min_battery_percent": 60}  # type: ignore[union-attr]
    assert Specification.objects.count() == 1


def test_a_specification_refuses_nonsense(world: World) -> None:
    bad = SpecificationValues(os_targets=["windows_95"])
    with pytest.raises(DomainError, match="windows_95"):
        specification_save(programme=world.programme, device_type="laptop", values=bad, by=None)
    with pytest.raises(DomainError, match="twice"):
        specification_save(
            programme=world.programme,
            device_type="laptop",
            values=SpecificationValues(checklist=[{"key": "a", "label": "A"}, {"key": "a", "label": "B"}]),
            by=None,
        )


def test_a_programmes_own_checklist_replaces_the_default(world: World, laptop: Device) -> None:
    checklist = [
        {"key": "power_on", "label": "Powers on", "required": True},
        {"key": "stylus", "label": "Stylus present", "required": True},
    ]
    specification_save(
        programme=world.programme,
        device_type="laptop",
        values=SpecificationValues(checklist=checklist),
        by=None,
    )
    run = device_tests_record(
        device=laptop,
        by=None,
        results=[ItemInput("power_on", ItemOutcome.PASS), ItemInput("stylus", ItemOutcome.PASS)],
    )
    assert [item.item.key for item in readiness(run.device).items] == ["power_on", "stylus"]
    with pytest.raises(DomainError, match="not on this device's checklist"):
        device_tests_record(device=laptop, by=None, results=[ItemInput("keyboard", ItemOutcome.PASS)])
