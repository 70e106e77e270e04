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


WORKBENCH = {
    "tool": "eReuse Workbench",
    "technique": "overwrite",
    "nist_level": "clear",
    "device_path": None,
    "rounds": None,
    "final_overwrite": None,
}

EXPECTED: dict[str, list[dict[str, Any]]] = {
    "ereuse-workbench-11-events-two-hdds.json": [
        {
            **WORKBENCH,
            "tool_version": "11.0a3",
            "device_serial": "CZC0123ABC",
            "drive_model": "WDC WD3200AAJS-6",
            "drive_serial": "WD-WCAV2A123456",
            "size_bytes": None,
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
            "size_bytes": None,
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
            "size_bytes": None,
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
    "ereuse-workbench-10-devices-snapshot-erasure-objects.json": [
        {
            **WORKBENCH,
            "tool_version": "10.0b6",
            "device_serial": "5CD5123XYZ",
            "drive_model": "ST500LM021-1KJ15",
            "drive_serial": "W62AB4CD",
            "size_bytes": None,
            "media_type": None,
            "method": "EraseSectors",
            "passes": 2,
            "verification": "last",
            "result": "erased",
            "started_at": "2018-02-20T09:14:03+00:00",
            "finished_at": "2018-02-20T13:52:41+00:00",
            "error": None,
        },
        {
            **WORKBENCH,
            "tool_version": "10.0b6",
            "device_serial": "5CD5123XYZ",
            "drive_model": "Samsung SSD 850 EVO 250GB",
            "drive_serial": "S21PNXAG512345X",
            "size_bytes": 250_100_000_000,
            "media_type": None,
            "method": "EraseBasic",
            "passes": 1,
            "verification": "none",
            "result": "failed",
            "started_at": "2018-02-20T13:52:42+00:00",
            "finished_at": "2018-02-20T13:53:10+00:00",
            "error": "Workbench recorded the erasure as failed (success false)",
        },
    ],
    "ereuse-workbench-11-failed-erase-without-end-time.json": [
        {
            **WORKBENCH,
            "tool_version": "11.0b9",
            "device_serial": "4XK9JH1",
            "drive_model": "WDC WD5000AAKX-6",
            "drive_serial": "WD-WCC2EUA12345",
            "size_bytes": 500_107_862_016,
            "media_type": "hdd",
            "method": "EraseBasic",
            "passes": 2,
            "verification": "none",
            "result": "failed",
            "started_at": "2019-10-02T08:09:40.551203+00:00",
            "finished_at": None,
            "error": "Workbench recorded the erasure as failed (severity Error)",
        },
        {
            **WORKBENCH,
            "tool_version": "11.0b9",
            "device_serial": "4XK9JH1",
            "drive_model": "CT240BX500SSD1",
            "drive_serial": "1936E1B2C3D4",
            "size_bytes": 240_057_409_536,
            "media_type": "ssd",
            "method": "EraseBasic",
            "passes": 1,
            "verification": "none",
            "result": "erased_unverified",
            "started_at": "2019-10-02T08:02:01.004522+00:00",
            "finished_at": "2019-10-02T08:09:40.550871+00:00",
            "error": None,
        },
    ],
    "ereuse-workbench-12-erasecrypto-nvme-and-erasesectors.json": [
        {
            **WORKBENCH,
            "tool_version": "12.0.3",
            "device_serial": "PF1ABCDE",
            "drive_model": "SAMSUNG MZVLB512HAJQ-000L7",
            "drive_serial": "S3W8NX0M654321",
            "size_bytes": 512_110_190_592,
            "media_type": "nvme",
            "method": "EraseCrypto",
            "passes": None,
            "technique": "crypto_erase",
            "nist_level": "purge",
            "verification": "none",
            "result": "erased_unverified",
            "started_at": "2021-06-15T10:21:04+02:00",
            "finished_at": "2021-06-15T10:21:09+02:00",
            "error": None,
        },
        {
            **WORKBENCH,
            "tool_version": "12.0.3",
            "device_serial": "PF1ABCDE",
            "drive_model": "MQ01ABD100",
            "drive_serial": "Z5K1T2ABCD",
            "size_bytes": 1_000_204_886_016,
            "media_type": "hdd",
            "method": "EraseSectors",
            "passes": 2,
            "verification": "last",
            "result": "erased",
            "started_at": "2021-06-15T10:22:00+02:00",
            "finished_at": "2021-06-15T16:40:12+02:00",
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


def test_it_refuses_a_snapshot_with_erasure_steps_but_no_end_time_naming_the_drive() -> None:
    action = erase()
    del action["endTime"]
    action["steps"][0].pop("endTime")

    with pytest.raises(
        ErasureReportError, match="EraseBasic of drive W62ABCDE has erasure steps but no end time"
    ):
        parse_json(snapshot(action))


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


LSHW = FIXTURES / "ereuse-workbench-10-devices-snapshot-erasure-objects.json"


def test_it_reads_a_workbench_10_snapshot_although_it_carries_lshws_listing() -> None:
    report = parse_fixture("ereuse-workbench-10-devices-snapshot-erasure-objects.json")

    assert [drive.method for drive in report.drives] == ["EraseSectors", "EraseBasic"]


def test_it_finds_the_snapshot_type_however_far_into_the_file_it_is() -> None:
    # Keys sorted (as `jq -S` or DeviceHub's export writes them): components and 200 kB of debug come first.
    value = snapshot(erase())
    value["debug"] = {"lshw": json.loads(LSHW.read_text())["debug"], "hwinfo": "x" * 200_000}
    data = json.dumps(value, sort_keys=True, indent=2).encode()
    assert data.index(b'"type": "Snapshot"') > 65_536

    (row,) = rows(parse_erasure_report(data, filename="sorted.json"))

    assert row["method"] == "EraseBasic"


def test_it_reads_the_older_erasure_object_with_its_success_flags() -> None:
    ok, failed = rows(parse_fixture("ereuse-workbench-10-devices-snapshot-erasure-objects.json"))

    assert (ok["result"], ok["verification"], ok["passes"]) == ("erased", "last", 2)
    assert (failed["result"], failed["error"]) == (
        "failed",
        "Workbench recorded the erasure as failed (success false)",
    )


def test_it_does_not_call_a_drive_spinning_when_old_workbench_called_every_drive_a_hard_drive() -> None:
    for row in rows(parse_fixture("ereuse-workbench-10-devices-snapshot-erasure-objects.json")):
        assert row["media_type"] is None


def old_snapshot(record: dict[str, Any]) -> dict[str, Any]:
    return {
        "@type": "Snapshot",
        "version": "7.1a4",
        "device": {"@type": "Computer", "type": "Netbook", "serialNumber": "8BOAAQ191234"},
        "components": [
            {
                "@type": "HardDrive",
                "model": "ST9160310AS",
                "serialNumber": "5SV1W0AB",
                "size": 152627.8359375,
                "erasure": record,
            },
        ],
    }


def old_erasure(**fields: Any) -> dict[str, Any]:
    record: dict[str, Any] = {
        "@type": "EraseBasic",
        "cleanWithZeros": False,
        "secureRandomSteps": 0,
        "startingTime": "2016-11-05T20:04:34",
        "endingTime": "2016-11-05T20:55:39",
        "success": True,
        "steps": [
            {
                "@type": "Random",
                "startingTime": "2016-11-05T20:55:39",
                "endingTime": "2016-11-05T20:55:39",
                "success": True,
            }
        ],
    }
    record.update(fields)
    return record


def test_it_reads_the_steps_that_were_done_not_the_configured_count() -> None:
    # Real 2016 snapshots say secureRandomSteps 0 and list the random step Workbench did.
    (row,) = rows(parse_json(old_snapshot(old_erasure())))

    assert (row["passes"], row["result"], row["started_at"]) == (
        1,
        "erased_unverified",
        "2016-11-05T20:04:34+00:00",
    )


def test_it_reads_a_failed_step_of_an_old_erasure_as_failed() -> None:
    record = old_erasure()
    record["steps"][0]["success"] = False

    (row,) = rows(parse_json(old_snapshot(record)))

    assert row["result"] == "failed"


def test_it_says_when_an_old_erasure_has_no_success_flag() -> None:
    record = old_erasure()
    del record["success"]

    (row,) = rows(parse_json(old_snapshot(record)))

    assert any("no success flag" in warning for warning in row["warnings"])


def test_it_refuses_an_old_erasure_without_an_end_time() -> None:
    record = old_erasure()
    del record["endingTime"]
    del record["steps"][0]["endingTime"]

    with pytest.raises(ErasureReportError, match="drive 5SV1W0AB has erasure steps but no end time"):
        parse_json(old_snapshot(record))


def test_it_reads_the_namespaced_type_devices_snapshot() -> None:
    value = old_snapshot(old_erasure())
    value["@type"] = "devices:Snapshot"
    value["components"][0]["@type"] = "devices:HardDrive"
    value["components"][0]["erasure"]["@type"] = "devices:EraseSectors"

    (row,) = rows(parse_json(value))

    assert row["method"] == "EraseSectors"


def test_it_reads_a_failed_erasure_workbench_11_left_without_an_end_time_as_failed() -> None:
    failed, _ = rows(parse_fixture("ereuse-workbench-11-failed-erase-without-end-time.json"))

    assert (failed["result"], failed["finished_at"]) == ("failed", None)


def test_it_refuses_the_bad_fixture_with_steps_but_no_end_time_and_imports_nothing() -> None:
    with pytest.raises(ErasureReportError, match="drive 1936E1B2C3D4 has erasure steps but no end time"):
        parse_fixture("ereuse-workbench-11-erase-steps-without-end-time.json")


def test_it_refuses_an_erasure_without_steps_or_times() -> None:
    action = {"type": "EraseCrypto", "severity": "Info", "steps": [], "startTime": None, "endTime": None}

    with pytest.raises(ErasureReportError, match="has no erasure steps and no end time"):
        parse_json(snapshot(action))


def test_it_reads_a_crypto_erase_as_purge_without_passes() -> None:
    crypto, _ = rows(parse_fixture("ereuse-workbench-12-erasecrypto-nvme-and-erasesectors.json"))

    assert (crypto["technique"], crypto["nist_level"], crypto["passes"], crypto["result"]) == (
        "crypto_erase",
        "purge",
        None,
        "erased_unverified",
    )


def test_it_passes_on_a_warning_severity_on_a_step() -> None:
    _, sectors = rows(parse_fixture("ereuse-workbench-12-erasecrypto-nvme-and-erasesectors.json"))

    assert any("Warning severity" in warning for warning in sectors["warnings"])


def test_it_flags_a_severity_it_does_not_know_instead_of_guessing() -> None:
    (row,) = rows(parse_json(snapshot(erase(severity=3))))

    assert any("severity the importer does not know" in warning for warning in row["warnings"])


def test_it_reads_a_size_with_a_unit_exactly_and_leaves_out_a_bare_number() -> None:
    (exact,) = rows(parse_json(snapshot(erase(), size="476940.0234375 MiB")))
    (bare,) = rows(parse_json(snapshot(erase(), size=305245)))

    assert exact["size_bytes"] == 500_107_862_016
    assert bare["size_bytes"] is None
    assert any(w.startswith("Size not recorded") and "305245" in w for w in bare["warnings"])


def test_it_says_when_workbench_had_not_closed_the_snapshot() -> None:
    value = snapshot(erase())
    value["closed"] = False

    (row,) = rows(parse_json(value))

    assert any("had not closed this snapshot" in warning for warning in row["warnings"])


def test_it_names_erasure_kinds_it_does_not_read_and_refuses_when_they_are_all_there_is() -> None:
    with pytest.raises(ErasureReportError, match="EraseQuantum"):
        parse_json(snapshot({"type": "EraseQuantum", "endTime": "2020-03-02T10:30:00+01:00"}))
