"""The `ready` rule: a device becomes ready only when it meets its programme's specification, passed its tests,
was graded and has its operating system recorded, all in this pass; every failure names its rule."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from devicebank.conftest import World
from devicebank.core.models import Event, EventKind
from devicebank.devices.models import Device
from devicebank.devices.services import device_transition
from devicebank.devices.states import DeviceState, InvalidTransition
from devicebank.devices.tests.factories import make_device, move
from devicebank.hardware.services import hardware_report_ingest
from devicebank.refurbishment.models import ItemOutcome, LicenceChannel, OperatingSystem, Specification
from devicebank.refurbishment.selectors import readiness
from devicebank.refurbishment.services import (
    ItemInput,
    decision_record,
    device_mark_ready,
    device_tests_record,
    grade_record,
    os_install_record,
)
from devicebank.refurbishment.tests.conftest import all_pass, bench_laptop, finish_bench_work
from devicebank.sanitisation.demo import sanitise_for_demo

S = DeviceState
HARDWARE = Path(__file__).resolve().parents[2] / "hardware" / "tests" / "fixtures"
SAMPLES = Path("/work/shared/samples/dmidecode")


def _ready_events(device: Device) -> int:
    return Event.objects.filter(
        subject_type="devices.device",
        subject_id=device.pk,
        kind=EventKind.DEVICE_STATE_CHANGED,
        data__new="ready",
    ).count()


def test_a_device_with_everything_done_becomes_ready(
    world: World, laptop_spec: Specification, laptop: Device
) -> None:
    device = finish_bench_work(laptop, by=world.user("technician"))
    assert readiness(device).reasons == []
    device = device_mark_ready(device=device, by=world.user("technician"))
    assert device.state == S.READY
    assert _ready_events(device) == 1


def test_a_device_with_nothing_done_is_refused_with_every_rule_in_one_message(
    world: World, laptop_spec: Specification
) -> None:
    device = bench_laptop(world, state=S.IN_REFURBISHMENT, storage_kind="hdd", ram_bytes=2 * 1024**3)
    with pytest.raises(InvalidTransition) as refused:
        device_mark_ready(device=device, by=world.user("technician"))
    message = refused.value.message
    for expected in (
        f"{device.asset_tag} cannot be ready yet:",
        "Specification: Memory: 2 GB is below the minimum of 4 GB (entered by hand).",
        "Specification: Storage type: HDD is not solid-state",
        "Specification: Battery health: not known",
        "Specification: Screen size: not known",
        "Specification: Webcam: not tested yet",
        "Tests: none recorded for this pass.",
        "Grade: none recorded for this pass.",
        "Operating system: none recorded for this pass.",
    ):
        assert expected in message
    device.refresh_from_db()
    assert device.state == S.IN_REFURBISHMENT
    assert _ready_events(device) == 0


def test_the_generic_state_change_obeys_the_same_rule(world: World, laptop: Device) -> None:
    device = move(laptop, S.IN_REFURBISHMENT, location=world.warehouse)
    with pytest.raises(InvalidTransition, match="Tests: none recorded for this pass"):
        device_transition(device=device, to=S.READY, by=world.user("manager"))


def test_a_failed_test_blocks_until_it_is_retested(world: World, laptop: Device) -> None:
    device = finish_bench_work(laptop)
    device_tests_record(
        device=device, by=None, results=[ItemInput("keyboard", ItemOutcome.FAIL, "sticky Enter key")]
    )
    assert readiness(device).reasons == ["Tests: Keyboard: every key works failed."]
    device_tests_record(device=device, by=None, results=[ItemInput("keyboard", ItemOutcome.PASS)])
    assert readiness(device).reasons == []


def test_untested_items_are_named(world: World, laptop: Device) -> None:
    device_tests_record(device=laptop, by=None, results=[ItemInput("power_on", ItemOutcome.PASS)])
    reasons = readiness(laptop).reasons
    assert any("Screen: no dead pixels or cracks, even backlight not tested" in r for r in reasons)


def test_a_grade_that_was_a_functional_fail_blocks(world: World, laptop: Device) -> None:
    results = [
        ItemInput(i.key, ItemOutcome.FAIL if i.key == "battery" else i.outcome) for i in all_pass(laptop)
    ]
    run = device_tests_record(device=laptop, by=None, results=results)
    grade = grade_record(device=run.device, by=None, cosmetic="A")
    assert (grade.functional_pass, grade.final) == (False, "F")


def test_an_os_outside_the_programmes_targets_is_refused(
    world: World, laptop_spec: Specification, laptop: Device
) -> None:
    device = finish_bench_work(laptop)
    os_install_record(
        device=device, by=None, os=OperatingSystem.CHROMEOS_FLEX, licence_channel=LicenceChannel.NONE
    )
    reasons = readiness(device).reasons
    assert (
        "Operating system: ChromeOS Flex is not one of the programme's targets (Windows 11, Linux)."
        in reasons
    )
    assert any("not on the ChromeOS Flex certified list" in reason for reason in reasons)


def test_windows_11_on_a_device_that_cannot_run_it_is_refused(world: World, laptop: Device) -> None:
    device = device_transition(device=laptop, to=S.IN_REFURBISHMENT, by=None)
    from devicebank.devices.services import device_update_details

    device = device_update_details(device=device, by=None, changes={"cpu_model": "Intel Core i5-6300U"})
    device = finish_bench_work(device)
    reasons = readiness(device).reasons
    assert len(reasons) == 1
    assert "Windows 11 Pro is installed but the device does not meet its requirements" in reasons[0]


def test_a_recycle_decision_blocks_until_a_repair_decision_replaces_it(world: World, laptop: Device) -> None:
    device = finish_bench_work(laptop)
    decision_record(
        device=device,
        by=None,
        estimated_parts_cost=Decimal(120),
        estimated_minutes=60,
        decision="recycle",
        reason="Cracked",
    )
    assert any(r.startswith("Decision:") for r in readiness(device).reasons)
    decision_record(
        device=device,
        by=None,
        estimated_parts_cost=Decimal(0),
        estimated_minutes=5,
        decision="repair",
        reason="Found a spare",
    )
    assert readiness(device).reasons == []


def test_a_returned_device_must_be_tested_graded_and_imaged_again(world: World) -> None:
    device = make_device(programme=world.programme, location=world.warehouse, state=S.RETURNED)
    device = sanitise_for_demo(device, by=None)
    device = device_transition(device=device, to=S.IN_REFURBISHMENT, by=None)
    state = readiness(device)
    # It was tested, graded and imaged in its first pass; none of that counts now.
    assert device.test_runs.count() == 1
    assert state.test_runs == []
    assert state.grade is None
    assert state.os_install is None
    assert "Tests: none recorded for this pass." in state.reasons


def test_a_cancelled_reservation_returns_to_ready_without_a_new_check(
    world: World, laptop_spec: Specification
) -> None:
    # world.device was made ready before the programme had a specification it would now fail.
    device = device_transition(device=world.device, to=S.RESERVED, by=None)
    device = device_transition(device=device, to=S.READY, by=None)
    assert device.state == S.READY


def test_two_technicians_finishing_the_same_device_get_one_success_and_one_conflict(
    world: World, laptop: Device
) -> None:
    from devicebank.core.errors import Conflict

    device = finish_bench_work(laptop)
    page_seen_by_both = Device.objects.get(pk=device.pk)  # both loaded the page while it was in refurbishment
    device_mark_ready(
        device=page_seen_by_both, by=world.user("technician"), expected_state=S.IN_REFURBISHMENT
    )
    with pytest.raises(Conflict, match="someone changed it"):
        device_mark_ready(
            device=page_seen_by_both, by=world.user("manager"), expected_state=S.IN_REFURBISHMENT
        )
    assert _ready_events(device) == 1


def test_a_specification_is_evaluated_from_a_real_lshw_snapshot(
    world: World, laptop_spec: Specification
) -> None:
    device = make_device(
        programme=world.programme,
        location=world.warehouse,
        state=S.IN_REFURBISHMENT,
        serial="PF1HXK2Q",  # the machine the report describes
        manufacturer="Lenovo",
        model="ThinkPad T480",
    )
    result = hardware_report_ingest(
        data=(HARDWARE / "thinkpad-t480-nvme-usb-stick.lshw.json").read_bytes(),
        file_name="t480.json",
        by=None,
        device=device,
    )
    assert result.outcome == "matched", result.differences
    rules = {rule.code: rule for rule in readiness(result.device).evaluation.rules}  # type: ignore[arg-type]
    assert rules["ram"].ok is True
    assert "32 GB meets" in rules["ram"].detail
    assert rules["ssd"].ok is True  # the NVMe drive
    assert rules["cpu"].ok is True
    assert "i7-8650U" in rules["cpu"].detail
    assert rules["battery"].ok is None  # lshw has no full-charge capacity: not guessed
    tpm = readiness(result.device).evaluation.os_eligibility["windows_11"]  # type: ignore[arg-type]
    assert tpm.ok is None
    assert "TPM not known" in tpm.reason


def test_battery_health_comes_from_a_workbench_snapshot_and_fails_the_processor_rule(
    world: World, laptop_spec: Specification
) -> None:
    device = make_device(
        programme=world.programme,
        location=world.warehouse,
        state=S.IN_REFURBISHMENT,
        serial="5CQ1AB2",  # the machine the report describes
        manufacturer="Dell",
        model="Latitude E7240",
    )
    result = hardware_report_ingest(
        data=(HARDWARE / "ereuse-workbench-script-latitude-e7240.json").read_bytes(),
        file_name="e7240.json",
        by=None,
        device=device,
    )
    state = readiness(result.device)  # type: ignore[arg-type]
    rules = {rule.code: rule for rule in state.evaluation.rules}
    assert rules["battery"].ok is True
    assert "82.7%" in rules["battery"].detail
    assert "hardware report e7240.json" in rules["battery"].detail
    assert rules["cpu"].ok is False
    assert "Intel Core i7 4th generation is older than the minimum 8th generation" in rules["cpu"].detail
    assert "Specification: Processor:" in " ".join(state.reasons)


@pytest.mark.skipif(not SAMPLES.exists(), reason="shared dmidecode samples not present")
def test_a_real_dmidecode_sample_gives_a_processor_but_not_the_storage(
    world: World, laptop_spec: Specification
) -> None:
    device = make_device(
        programme=world.programme,
        location=world.warehouse,
        state=S.IN_REFURBISHMENT,
        serial="R9-E7470",  # the sample has no serial of its own
        manufacturer="Dell",
        model="Latitude E7470",
    )
    sample = SAMPLES / "linuxhw-Notebook-Dell-Latitude_E7470-0C0E5E1F4F00.dmidecode.txt"
    result = hardware_report_ingest(data=sample.read_bytes(), file_name=sample.name, by=None, device=device)
    rules = {rule.code: rule for rule in readiness(result.device).evaluation.rules}  # type: ignore[arg-type]
    assert rules["cpu"].ok is False
    assert "i5-6300U" in rules["cpu"].detail
    assert rules["ram"].ok is True
    assert rules["storage"].ok is None  # dmidecode lists no drives


@pytest.mark.django_db(transaction=True)
def test_two_technicians_pressing_ready_at_the_same_moment_get_exactly_one_outcome(world: World) -> None:
    """Real concurrency (PostgreSQL row locks): both requests start together; one wins, one is a Conflict."""
    import threading

    from django.db import connection, connections

    from devicebank.core.errors import Conflict

    if connection.vendor != "postgresql":
        pytest.skip("needs row-level locks (PostgreSQL): SQLite runs one writer at a time anyway")
    device = finish_bench_work(bench_laptop(world))
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def finish(persona: str) -> None:
        try:
            start.wait()
            device_mark_ready(device=device, by=world.user(persona), expected_state=S.IN_REFURBISHMENT)
            outcomes.append("ready")
        except Conflict:
            outcomes.append("conflict")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=finish, args=(p,)) for p in ("technician", "manager")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["conflict", "ready"]
    assert _ready_events(device) == 1
