"""eReuse Workbench snapshots: the erasure actions on each data-storage component."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from devicebank.sanitisation.parsers import ErasureReport, ErasureReportError, parse_erasure_report

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def parse_fixture(name: str) -> ErasureReport:
    return parse_erasure_report((FIXTURES / name).read_bytes(), filename=name)


def parse_json(value: Any) -> ErasureReport:
    return parse_erasure_report(json.dumps(value).encode(), filename="snapshot.json")


def rows(report: ErasureReport) -> list[dict[str, Any]]:
    return [drive.to_json("f") for drive in report.drives]


def snapshot(*actions: dict[str, Any], component_type: str = "HardDrive", **component: Any) -> dict[str, Any]:
    drive = {"type": component_type, "model": "ST500LM021-1KJ15", "serialNumber": "W62ABCDE", "size": 500107}
    drive.update(component)
    drive["actions"] = list(actions)
    return {
        "type": "Snapshot",
        "software": "Workbench",
        "version": "11.0b11",
        "device": {"type": "Laptop", "serialNumber": "PF1ABCDE"},
        "components": [drive],
    }


def erase(kind: str = "EraseBasic", *steps: str, severity: str = "Info", **fields: Any) -> dict[str, Any]:
    action = {
        "type": kind,
        "severity": severity,
        "startTime": "2020-03-02T09:00:00+01:00",
        "endTime": "2020-03-02T10:30:00+01:00",
        "steps": [
            {
                "type": step,
                "severity": "Info",
                "startTime": "2020-03-02T09:00:00+01:00",
                "endTime": "2020-03-02T10:30:00+01:00",
            }
            for step in steps or ("StepRandom",)
        ],
    }
    action.update(fields)
    return action


WORKBENCH = {"tool": "eReuse Workbench", "technique": "overwrite", "nist_level": "clear", "device_path": None}

EXPECTED: dict[str, list[dict[str, Any]]] = {
    "ereuse-workbench-11-events-two-hdds.json": [
        {
            **WORKBENCH,
            "tool_version": "11.0a3",
            "device_serial": "CZC0123ABC",
            "drive_model": "WDC WD3200AAJS-6",
            "drive_serial": "WD-WCAV2A123456",
            "size_bytes": 320_072_000_000,
            "media_type": "hdd",
            "method": "EraseBasic",
            "passes": 1,
            "verification": "none",
            "result": "erased_unverified",
            "started_at": "2018-07-13T10:52:45.092612+00:00",
            "finished_at": "2018-07-13T11:54:55.100581+00:00",
            "error": None,
        },
        {
            **WORKBENCH,
            "tool_version": "11.0a3",
            "device_serial": "CZC0123ABC",
            "drive_model": "ST3250318AS",
            "drive_serial": "9VY1ABCD",
            "size_bytes": 250_059_000_000,
            "media_type": "hdd",
            "method": "EraseBasic",
            "passes": 1,
            "verification": "none",
            "result": "failed",
            "started_at": "2018-07-13T11:54:55.100667+00:00",
            "finished_at": "2018-07-13T12:21:03.880121+00:00",
            "error": "Workbench recorded the erasure as failed (severity Error)",
        },
    ],
    "ereuse-workbench-11b11-actions-ssd-and-nvme.json": [
        {
            **WORKBENCH,
            "tool_version": "11.0b11",
            "device_serial": None,
            "drive_model": "CT250MX500SSD1",
            "drive_serial": "1904E1A2B3C4",
            "size_bytes": 250_059_000_000,
            "media_type": "ssd",
            "method": "EraseSectors",
            "passes": 2,
            "verification": "last",
            "result": "erased",
            "started_at": "2019-08-19T16:48:19.689794+00:00",
            "finished_at": "2019-08-19T17:54:22.930959+00:00",
            "error": None,
        },
        {
            **WORKBENCH,
            "tool_version": "11.0b11",
            "device_serial": None,
            "drive_model": "SAMSUNG MZVLB256HAHQ-000L7",
            "drive_serial": "S41GNX0M123456",
            "size_bytes": 256_060_514_304,
            "media_type": "nvme",
            "method": "EraseSectors",
            "passes": 1,
            "verification": "all",
            "result": "erased",
            "started_at": "2019-08-19T16:48:20+00:00",
            "finished_at": "2019-08-19T17:21:05+00:00",
            "error": None,
        },
    ],
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_it_reads_every_erasure_of_every_fixture_exactly(name: str) -> None:
    got = [
        {key: value for key, value in row.items() if key not in ("file", "warnings")}
        for row in rows(parse_fixture(name))
    ]

    assert got == EXPECTED[name]


def test_it_leaves_out_drives_without_an_erasure_record() -> None:
    report = parse_fixture("ereuse-workbench-11b11-actions-ssd-and-nvme.json")

    assert "DataTraveler 2.0" not in [drive.drive_model for drive in report.drives]


def test_it_flags_a_placeholder_host_serial() -> None:
    for row in rows(parse_fixture("ereuse-workbench-11b11-actions-ssd-and-nvme.json")):
        assert row["device_serial"] is None
        assert any(
            "No host serial" in warning and "To Be Filled By O.E.M." in warning for warning in row["warnings"]
        )


def test_it_reads_times_without_a_zone_as_utc_and_says_so() -> None:
    _, nvme = rows(parse_fixture("ereuse-workbench-11b11-actions-ssd-and-nvme.json"))

    assert nvme["started_at"] == "2019-08-19T16:48:20+00:00"
    assert any("no time zone" in warning for warning in nvme["warnings"])


def test_it_keeps_the_offset_a_snapshot_gives() -> None:
    (row,) = rows(parse_json(snapshot(erase())))

    assert row["started_at"] == "2020-03-02T09:00:00+01:00"


def test_it_reports_an_erasure_workbench_marked_as_an_error_as_failed() -> None:
    (row,) = rows(parse_json(snapshot(erase(severity="Error", description="shred: /dev/sda: error writing"))))

    assert row["result"] == "failed"
    assert (
        row["error"]
        == "Workbench recorded the erasure as failed (severity Error): shred: /dev/sda: error writing"
    )


def test_it_reports_an_error_flag_as_failed() -> None:
    (row,) = rows(parse_json(snapshot(erase(error=True))))

    assert row["result"] == "failed"


def test_it_reports_an_erasure_without_passes_as_incomplete() -> None:
    action = erase()
    action["steps"] = []

    (row,) = rows(parse_json(snapshot(action)))

    assert (row["result"], row["passes"]) == ("incomplete", 0)


def test_it_reports_an_erasure_without_an_end_as_incomplete() -> None:
    action = erase()
    del action["endTime"]
    action["steps"][0].pop("endTime")

    (row,) = rows(parse_json(snapshot(action)))

    assert (row["result"], row["finished_at"]) == ("incomplete", None)


def test_it_does_not_count_a_final_unverified_zero_pass_as_verified() -> None:
    (row,) = rows(parse_json(snapshot(erase("EraseSectors", "StepRandom", "StepZero"))))

    assert (row["verification"], row["result"]) == ("none", "erased_unverified")
    assert any("final zero pass was not verified" in warning for warning in row["warnings"])


def test_it_reads_a_physical_destruction_as_destroy() -> None:
    (row,) = rows(parse_json(snapshot(erase("ErasePhysical", method="Shred"))))

    assert (row["technique"], row["nist_level"], row["method"], row["passes"]) == (
        "physical_destruction",
        "destroy",
        "ErasePhysical (Shred)",
        None,
    )


def test_it_reads_workbench_11_events_as_well_as_actions() -> None:
    value = snapshot()
    value["components"][0]["events"] = [erase()]
    del value["components"][0]["actions"]

    (row,) = rows(parse_json(value))

    assert row["method"] == "EraseBasic"


def test_it_flags_a_drive_serial_of_zeros() -> None:
    (row,) = rows(parse_json(snapshot(erase(), serialNumber="00000000")))

    assert row["drive_serial"] is None
    assert any("No drive serial" in warning and "placeholder" in warning for warning in row["warnings"])


def test_it_refuses_a_snapshot_without_erasure_results() -> None:
    value = snapshot({"type": "BenchmarkDataStorage", "readSpeed": 60.1})

    with pytest.raises(ErasureReportError, match="no erasure results"):
        parse_json(value)


def test_it_refuses_a_workbench_script_snapshot_and_says_why() -> None:
    value = {"type": "Snapshot", "software": "workbench-script", "version": "0.0.1", "data": {}, "erase": []}

    with pytest.raises(ErasureReportError, match="raw hardware data but no erasure results"):
        parse_json(value)


def test_it_refuses_broken_json_with_the_position_of_the_fault() -> None:
    data = b'{"type": "Snapshot", "software": "Workbench", "components": [}'

    with pytest.raises(ErasureReportError, match="not valid JSON \\(line 1, column"):
        parse_erasure_report(data, filename="broken.json")
