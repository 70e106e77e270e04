"""nwipe and ShredOS logs: every fixture's exact per-drive outcome, and the variants across nwipe versions.

The nwipe-0.33-* fixtures are real logs from Debian's nwipe wiping loop devices (see docs/erasure-reports.md for
how each was made); the 2016 and ShredOS ones are written from nwipe's own log messages.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from devicebank.sanitisation.parsers import ErasureReport, ErasureReportError, parse_erasure_report
from devicebank.sanitisation.parsers.nwipe import TIMEZONE_WARNING

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def parse_fixture(name: str) -> ErasureReport:
    return parse_erasure_report((FIXTURES / name).read_bytes(), filename=name)


def parse_text(text: str) -> ErasureReport:
    return parse_erasure_report(text.encode(), filename="test.log")


def rows(report: ErasureReport) -> list[dict[str, Any]]:
    return [drive.to_json("f") for drive in report.drives]


def at(text: str) -> str:
    return datetime.strptime(text, "%Y/%m/%d %H:%M:%S").replace(tzinfo=UTC).isoformat()


def has_warning(row: dict[str, Any], *fragments: str) -> bool:
    return any(all(fragment in warning for fragment in fragments) for warning in row["warnings"])


LOOP = {"tool": "nwipe", "tool_version": "0.33", "device_serial": None, "drive_model": "Loopback device"}
LOOP.update(drive_serial=None, media_type=None, technique="overwrite", nist_level="clear")

EXPECTED: dict[str, list[dict[str, Any]]] = {
    "nwipe-0.33-zero-verified.log": [
        {
            **LOOP,
            "device_path": "/dev/loop0",
            "size_bytes": 67_108_864,
            "method": "Fill With Zeros",
            "passes": 1,
            "rounds": 1,
            "final_overwrite": "blank",
            "verification": "last",
            "result": "erased",
            "started_at": at("2026/11/24 11:24:32"),
            "finished_at": at("2026/11/24 11:24:33"),
            "error": None,
        }
    ],
    "nwipe-0.33-zero-unverified-damaged-serial.log": [
        {
            **LOOP,
            "device_path": "/dev/loop0",
            "size_bytes": 67_108_864,
            "method": "Fill With Zeros",
            "passes": 1,
            "rounds": 1,
            "final_overwrite": "blank",
            "verification": "none",
            "result": "erased_unverified",
            "started_at": at("2026/11/24 09:19:56"),
            "finished_at": at("2026/11/24 09:19:57"),
            "error": None,
        }
    ],
    "nwipe-0.33-zero-verification-failed.log": [
        {
            **LOOP,
            "device_path": "/dev/loop1",
            "size_bytes": 268_435_456,
            "method": "Fill With Zeros",
            "passes": 1,
            "rounds": 1,
            "final_overwrite": "blank",
            "verification": "last",
            "result": "failed",
            "started_at": at("2026/11/24 11:24:44"),
            "finished_at": at("2026/11/24 11:24:49"),
            "error": "verification found data left on the drive: 1 verification error",
        }
    ],
    "nwipe-0.33-dodshort-cancelled.log": [
        {
            **LOOP,
            "device_path": "/dev/loop2",
            "size_bytes": 1_073_741_824,
            "method": "DoD Short",
            "passes": 3,
            "rounds": 1,
            "final_overwrite": "blank",
            "verification": "last",
            "result": "cancelled",
            "started_at": at("2026/11/24 11:24:53"),
            "finished_at": at("2026/11/24 11:24:57"),
            "error": "the wipe was stopped by the user (or a signal) before it finished",
        }
    ],
    "nwipe-0.33-zero-killed-mid-pass.log": [
        {
            **LOOP,
            "device_path": "/dev/loop2",
            "size_bytes": 1_073_741_824,
            "method": "Fill With Zeros",
            "passes": 1,
            "rounds": 1,
            "final_overwrite": "blank",
            "verification": "last",
            "result": "incomplete",
            "started_at": at("2026/11/24 11:25:12"),
            "finished_at": None,
            "error": "the log ends before the wipe finished",
        }
    ],
    "nwipe-0.33-dodshort-verify-all-three-drives.log": [
        {
            **LOOP,
            "device_path": f"/dev/loop{number}",
            "size_bytes": 50_331_648,
            "method": "DoD Short",
            "passes": 3,
            "rounds": 1,
            "final_overwrite": "blank",
            "verification": "all",
            "result": result,
            "started_at": at("2026/11/24 11:25:01"),
            "finished_at": at(finished),
            "error": error,
        }
        for number, result, finished, error in (
            (3, "erased", "2026/11/24 11:25:05", None),
            (
                4,
                "failed",
                "2026/11/24 11:25:07",
                "verification found data left on the drive: 4 verification errors",
            ),
            (5, "erased", "2026/11/24 11:25:05", None),
        )
    ],
    "nwipe-0.33-verify-zeros-quiet.log": [
        {
            **LOOP,
            "device_path": "/dev/loop0",
            "size_bytes": 67_108_864,
            "method": "Verify Zeros (0x00)",
            "passes": 0,
            "rounds": None,
            "final_overwrite": None,
            "technique": "verify_only",
            "nist_level": None,
            "verification": "all",
            "result": "erased",
            "started_at": at("2026/11/24 11:25:17"),
            "finished_at": at("2026/11/24 11:25:18"),
            "error": None,
        }
    ],
    "nwipe-0.21-2016-dodshort-two-drives.log": [
        {
            "tool": "nwipe",
            "tool_version": "0.21",
            "device_serial": None,
            "device_path": path,
            "drive_model": None,
            "drive_serial": serial,
            "size_bytes": size,
            "media_type": None,
            "method": "DoD Short",
            "passes": 3,
            "rounds": 1,
            "final_overwrite": "blank",
            "technique": "overwrite",
            "nist_level": "clear",
            "verification": "last",
            "result": result,
            "started_at": at("2016/06/14 09:12:02"),
            "finished_at": at(finished),
            "error": error,
        }
        for path, serial, size, result, finished, error in (
            ("/dev/sda", "WD-WCC2EKR41234", 500_107_862_016, "erased", "2016/06/14 15:48:57", None),
            (
                "/dev/sdb",
                "5VMJ2K1N",
                250_059_350_016,
                "failed",
                "2016/06/14 12:51:22",
                "verification found data left on the drive: 2 verification errors",
            ),
        )
    ],
    "shredos-nwipe-0.35-zero-ssd-and-hdd-with-hpa.txt": [
        {
            "tool": "nwipe",
            "tool_version": "0.35",
            "device_serial": "PF1ABCDE",
            "device_path": path,
            "drive_model": model,
            "drive_serial": serial,
            "size_bytes": size,
            "media_type": media,
            "method": "Fill With Zeros",
            "passes": 1,
            "rounds": 1,
            "final_overwrite": "blank",
            "technique": "overwrite",
            "nist_level": "clear",
            "verification": "last",
            "result": "erased",
            "started_at": at("2023/09/14 08:08:15"),
            "finished_at": at(finished),
            "error": None,
        }
        for path, model, serial, size, media, finished in (
            (
                "/dev/sda",
                "Samsung SSD 860 EVO 500GB",
                "S3Z2NB0K712345A",
                500_107_862_016,
                "ssd",
                "2023/09/14 09:03:12",
            ),
            (
                "/dev/sdb",
                "WDC WD3200BEVT-75A23T0",
                "WD-WXE1A91K2345",
                320_071_851_520,
                "hdd",
                "2023/09/14 11:14:21",
            ),
        )
    ],
    "nwipe-0.33-dodshort-two-rounds.log": [
        {
            **LOOP,
            "device_path": "/dev/loop0",
            "size_bytes": 33_554_432,
            "method": "DoD Short",
            "passes": 6,
            "rounds": 2,
            "final_overwrite": "blank",
            "verification": "last",
            "result": "erased",
            "started_at": at("2026/12/07 18:29:49"),
            "finished_at": at("2026/12/07 18:29:50"),
            "error": None,
        }
    ],
    "nwipe-0.33-prng-noblank.log": [
        {
            **LOOP,
            "device_path": "/dev/loop1",
            "size_bytes": 33_554_432,
            "method": "PRNG Stream",
            "passes": 1,
            "rounds": 1,
            "final_overwrite": "none",
            "verification": "last",
            "result": "erased",
            "started_at": at("2026/12/07 18:29:51"),
            "finished_at": at("2026/12/07 18:29:51"),
            "error": None,
        }
    ],
    "nwipe-0.33-ops2-final-random-pattern.log": [
        {
            **LOOP,
            "device_path": "/dev/loop2",
            "size_bytes": 16_777_216,
            "method": "RCMP TSSIT OPS-II",
            "passes": 8,
            "rounds": 1,
            "final_overwrite": "random",
            "verification": "last",
            "result": "erased",
            "started_at": at("2026/12/07 18:29:53"),
            "finished_at": at("2026/12/07 18:29:53"),
            "error": None,
        }
    ],
    "nwipe-0.33-zero-verbose-sigint-one-finished-one-cancelled.log": [
        {
            **LOOP,
            "device_path": "/dev/loop3",
            "size_bytes": 16_777_216,
            "method": "Fill With Zeros",
            "passes": 1,
            "rounds": 1,
            "final_overwrite": "blank",
            "verification": "last",
            "result": "erased",
            "started_at": at("2026/12/07 18:29:55"),
            "finished_at": at("2026/12/07 18:29:55"),
            "error": None,
        },
        {
            **LOOP,
            "device_path": "/dev/loop4",
            "size_bytes": 2_147_483_648,
            "method": "Fill With Zeros",
            "passes": 1,
            "rounds": 1,
            "final_overwrite": "blank",
            "verification": "last",
            "result": "cancelled",
            "started_at": at("2026/12/07 18:29:55"),
            "finished_at": at("2026/12/07 18:29:59"),
            "error": "the wipe was stopped by the user (or a signal) before it finished",
        },
    ],
    "nwipe-0.33-prng-sigterm-cancelled.log": [
        {
            **LOOP,
            "device_path": "/dev/loop5",
            "size_bytes": 2_147_483_648,
            "method": "PRNG Stream",
            "passes": 1,
            "rounds": 1,
            "final_overwrite": "blank",
            "verification": "last",
            "result": "cancelled",
            "started_at": at("2026/12/07 18:30:00"),
            "finished_at": at("2026/12/07 18:30:04"),
            "error": "the wipe was stopped by the user (or a signal) before it finished",
        }
    ],
    "nwipe-0.27-dodshort-two-drives-thread-cancelled.log": [
        {
            "tool": "nwipe",
            "tool_version": "0.27",
            "device_serial": None,
            "device_path": path,
            "drive_model": None,
            "drive_serial": serial,
            "size_bytes": size,
            "media_type": None,
            "method": "DoD Short",
            "passes": 3,
            "rounds": 1,
            "final_overwrite": "blank",
            "technique": "overwrite",
            "nist_level": "clear",
            "verification": "last",
            "result": result,
            "started_at": at("2020/02/12 10:02:11"),
            "finished_at": at(finished),
            "error": error,
        }
        for path, serial, size, result, finished, error in (
            ("/dev/sda", "S21PNXAG412345K", 120_034_123_776, "erased", "2020/02/12 10:38:12", None),
            (
                "/dev/sdb",
                "WD-WX21A13J5678",
                500_107_862_016,
                "cancelled",
                "2020/02/12 11:47:40",
                "nwipe cancelled the wipe of this drive before it finished (the operator stopped nwipe, or it "
                "was sent a signal)",
            ),
        )
    ],
    "shredos-nwipe-0.32-zero-thread-cancelled-log-cut.txt": [
        {
            "tool": "nwipe",
            "tool_version": "0.32",
            "device_serial": "7XK2JN2",
            "device_path": "/dev/sda",
            "drive_model": "ST1000LM035-1RK1",
            "drive_serial": "WDEABC12",
            "size_bytes": 1_000_204_886_016,
            "media_type": None,
            "method": "Fill With Zeros",
            "passes": 1,
            "rounds": 1,
            "final_overwrite": "blank",
            "technique": "overwrite",
            "nist_level": "clear",
            "verification": "last",
            "result": "cancelled",
            "started_at": at("2021/11/19 06:13:02"),
            "finished_at": at("2021/11/19 07:27:05"),
            "error": "nwipe cancelled the wipe of this drive before it finished (the operator stopped nwipe, or it "
            "was sent a signal)",
        }
    ],
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_it_reads_every_drive_of_every_fixture_exactly(name: str) -> None:
    got = [
        {key: value for key, value in row.items() if key not in ("file", "warnings")}
        for row in rows(parse_fixture(name))
    ]

    assert got == EXPECTED[name]


def test_it_reports_a_verification_failure_as_failed() -> None:
    (row,) = rows(parse_fixture("nwipe-0.33-zero-verification-failed.log"))

    assert row["result"] == "failed"
    assert "verification found data left on the drive" in row["error"]


def test_it_reports_a_run_without_verification_as_erased_but_unverified() -> None:
    (row,) = rows(parse_fixture("nwipe-0.33-zero-unverified-damaged-serial.log"))

    assert (row["result"], row["verification"]) == ("erased_unverified", "none")


def test_it_reports_a_user_abort_as_cancelled() -> None:
    (row,) = rows(parse_fixture("nwipe-0.33-dodshort-cancelled.log"))

    assert row["result"] == "cancelled"


def test_it_reports_a_log_cut_short_as_incomplete_with_a_warning() -> None:
    (row,) = rows(parse_fixture("nwipe-0.33-zero-killed-mid-pass.log"))

    assert row["result"] == "incomplete"
    assert row["finished_at"] is None
    assert has_warning(row, "log ends before this drive's wipe finished")


def test_it_flags_a_damaged_serial_instead_of_inventing_one() -> None:
    (row,) = rows(parse_fixture("nwipe-0.33-zero-unverified-damaged-serial.log"))

    assert row["drive_serial"] is None
    assert has_warning(row, "No drive serial", "damaged", "\\x7f")


def test_it_reads_invalid_utf8_in_a_serial_as_damaged_and_shows_the_bytes() -> None:
    data = (
        (FIXTURES / "nwipe-0.33-zero-unverified-damaged-serial.log")
        .read_bytes()
        .replace(b"@p$}", b"WD\xc3(\xff")
    )

    (row,) = rows(parse_erasure_report(data, filename="latin1.log"))

    assert row["drive_serial"] is None
    assert has_warning(row, "No drive serial", "damaged", "WD\\xc3(\\xff")


def test_it_flags_a_serial_masked_by_the_quiet_option() -> None:
    (row,) = rows(parse_fixture("nwipe-0.33-verify-zeros-quiet.log"))

    assert row["drive_serial"] is None
    assert has_warning(row, "No drive serial", "question marks")


def test_it_says_a_verify_only_run_proves_blankness_not_sanitisation() -> None:
    (row,) = rows(parse_fixture("nwipe-0.33-verify-zeros-quiet.log"))

    assert row["nist_level"] is None
    assert has_warning(row, "did not overwrite it")


def test_it_warns_that_log_times_are_read_as_utc() -> None:
    for row in rows(parse_fixture("nwipe-0.33-zero-verified.log")):
        assert TIMEZONE_WARNING in row["warnings"]


def test_it_reads_the_host_serial_from_the_smbios_lines() -> None:
    report = parse_fixture("shredos-nwipe-0.35-zero-ssd-and-hdd-with-hpa.txt")

    assert {drive.device_serial for drive in report.drives} == {"PF1ABCDE"}


def test_it_leaves_out_drives_that_were_found_but_not_chosen_for_wiping() -> None:
    report = parse_fixture("shredos-nwipe-0.35-zero-ssd-and-hdd-with-hpa.txt")

    assert "/dev/sdc" not in [drive.device_path for drive in report.drives]


def test_it_warns_when_nwipe_found_a_hidden_area() -> None:
    sda, sdb = rows(parse_fixture("shredos-nwipe-0.35-zero-ssd-and-hdd-with-hpa.txt"))

    assert has_warning(sdb, "hidden area (HPA/DCO)", "not wiped")
    assert not has_warning(sda, "hidden area")


def test_it_reads_two_runs_appended_to_one_log_file_as_separate_erasures() -> None:
    killed = (FIXTURES / "nwipe-0.33-zero-killed-mid-pass.log").read_bytes()
    verified = (FIXTURES / "nwipe-0.33-zero-verified.log").read_bytes()

    report = parse_erasure_report(killed + verified, filename="appended.log")

    assert [(d.device_path, d.result) for d in report.drives] == [
        ("/dev/loop2", "incomplete"),
        ("/dev/loop0", "erased"),
    ]
    assert any("2 nwipe runs" in warning for warning in report.warnings)


def test_it_refuses_a_log_where_the_wipe_never_started() -> None:
    log = (
        "[2024/01/05 10:00:00]  notice: Found /dev/sda, ATA-SSD, Samsung SSD 860 EVO 500GB, 500 GB, S/N=S3Z2NB0K7\n"
        "[2024/01/05 10:00:01]  notice: Program options are set as follows...\n"
        "[2024/01/05 10:02:00]    info: Nwipe was aborted by the user prior to the wipe starting.\n"
    )

    with pytest.raises(ErasureReportError, match="cancelled before any wipe started"):
        parse_text(log)


def test_it_refuses_a_log_that_ends_before_any_drive_was_chosen() -> None:
    log = "[2024/01/05 10:00:00]  notice: Found /dev/sda, ATA-SSD, Samsung SSD 860 EVO 500GB, 500 GB, S/N=S3Z2NB0K7\n"

    with pytest.raises(ErasureReportError, match="ends before any wipe began"):
        parse_text(log)


MODERN_HEAD = """\
[2024/01/05 10:00:00]  notice: Found /dev/sda, ATA    , ST500LM021-1KJ152, 500 GB, S/N=W62ABCDE
[2024/01/05 10:00:01]  notice: Program options are set as follows...
[2024/01/05 10:00:01]  notice:   banner   = nwipe 0.36
[2024/01/05 10:00:01]  notice:   method   = {method}
[2024/01/05 10:00:01]  notice:   rounds   = 1
[2024/01/05 10:00:01]  notice:   verify   = {verify}
"""


def test_it_counts_a_no_blank_run_as_finished_after_its_last_round() -> None:
    log = MODERN_HEAD.format(method="PRNG Stream", verify="0 (off)") + (
        "[2024/01/05 10:00:01]  notice:   do not perform a final blank pass\n"
        "[2024/01/05 10:00:02]  notice: /dev/sda, sect/blk/dev 512/4096/500107862016\n"
        "[2024/01/05 10:00:02]  notice: Invoking method 'PRNG Stream' on /dev/sda\n"
        "[2024/01/05 10:00:02]  notice: Starting round 1 of 1 on /dev/sda\n"
        "[2024/01/05 10:00:02]  notice: Starting pass 1/1, round 1/1, on /dev/sda\n"
        "[2024/01/05 11:30:02]  notice: 500107862016 bytes written to /dev/sda\n"
        "[2024/01/05 11:30:02]  notice: Finished pass 1/1, round 1/1, on /dev/sda\n"
        "[2024/01/05 11:30:02]  notice: Finished final round 1 of 1 on /dev/sda\n"
    )

    (row,) = rows(parse_text(log))

    assert (row["result"], row["passes"], row["verification"]) == ("erased_unverified", 1, "none")


def test_it_reads_a_firmware_crypto_erase_as_purge_without_verification() -> None:
    log = MODERN_HEAD.format(method="Sanitize Crypto Erase (ATA/SCSI/NVMe)", verify="1 (last pass)") + (
        "[2024/01/05 10:00:02]  notice: Attempting NVMe Sanitize Crypto Erase on /dev/sda (NVME).\n"
        "[2024/01/05 10:00:02]  notice: Starting NVMe Sanitize Crypto Erase via nvme on /dev/nvme0 (from /dev/sda).\n"
        "[2024/01/05 10:00:09]  notice: Sanitize Crypto Erase completed on /dev/sda.\n"
    )

    (row,) = rows(parse_text(log))

    assert (row["technique"], row["nist_level"], row["media_type"]) == ("crypto_erase", "purge", "nvme")
    assert (row["result"], row["verification"], row["passes"]) == ("erased_unverified", "none", None)
    assert not has_warning(row, "Implausibly fast")


def test_it_reads_a_failed_firmware_command_as_failed() -> None:
    log = MODERN_HEAD.format(method="Secure Erase (ATA/NVMe)", verify="1 (last pass)") + (
        "[2024/01/05 10:00:02]  notice: Attempting ATA Secure Erase on /dev/sda (ATA).\n"
        "[2024/01/05 10:00:02]  notice: Starting ATA Secure Erase via hdparm on /dev/sda.\n"
        "[2024/01/05 10:00:03]   error: ATA Secure Erase: hdparm reported failure on /dev/sda (rc=256).\n"
        "[2024/01/05 10:00:03]   error: Secure Erase could not be executed on /dev/sda. Aborting method.\n"
    )

    (row,) = rows(parse_text(log))

    assert (row["technique"], row["result"]) == ("ata_secure_erase", "failed")
    assert "hdparm reported failure" in row["error"]


def test_it_reads_the_options_of_a_run_from_the_total_throughput_line_when_they_are_missing() -> None:
    log = """\
[2024/01/05 10:00:02]  notice: /dev/sdb has serial number Z1E2ABCD
[2024/01/05 10:00:02]  notice: /dev/sdb, sect/blk/dev 512/4096/1000204886016

********************************* Drive Status *********************************
!   Device | Status | Thru-put | HH:MM:SS | Model/Serial Number
--------------------------------------------------------------------------------
       sdb | Erased | 120 MB/s | 06:56:46 | ST1000DM003-1CH16/Z1E2ABCD
--------------------------------------------------------------------------------
[2024/01/05 16:57:30] Total Throughput 120 MB/s, DoD Short, 1R+NB+VA
********************************************************************************
"""

    (row,) = rows(parse_text(log))

    assert (row["method"], row["passes"], row["verification"], row["result"]) == (
        "DoD Short",
        3,
        "all",
        "erased",
    )
    assert (row["drive_model"], row["drive_serial"]) == ("ST1000DM003-1CH16", "Z1E2ABCD")
    assert row["started_at"] == at("2024/01/05 10:00:44")


def test_it_reads_an_insanity_status_as_a_failure() -> None:
    log = """\
[2024/01/05 10:00:02]   error: Unable to open device '/dev/sdc'.
******************************** Error Summary *********************************
!   Device | Pass Errors | Verifications Errors | Fdatasync I\\O Errors
--------------------------------------------------------------------------------
       sdc |           0 |                    0 |                    0
********************************************************************************
********************************* Drive Status *********************************
!   Device | Status | Thru-put | HH:MM:SS | Model/Serial Number
--------------------------------------------------------------------------------
       sdc |INSANITY|   0 B/s | 00:00:00 | Generic Flash Dis/
--------------------------------------------------------------------------------
[2024/01/05 10:00:05] Total Throughput 0 B/s, Fill With Zeros, 1R+B+VL
"""

    (row,) = rows(parse_text(log))

    assert row["result"] == "failed"
    assert "could not use the drive" in row["error"]


def test_it_reads_the_0_26_style_where_a_failure_is_logged_per_device_and_no_table_follows() -> None:
    log = """\
[2019/11/02 14:00:00]  notice: Program options are set as follows...
[2019/11/02 14:00:00]  notice:   banner   = nwipe 0.26
[2019/11/02 14:00:00]  notice:   method   = Fill With Zeros
[2019/11/02 14:00:00]  notice:   verify   = 1 (last pass)
[2019/11/02 14:00:01]    info: Device /dev/sda has serial number 5VMJ2K1N
[2019/11/02 14:00:01]    info: Device '/dev/sda' is size 250059350016.
[2019/11/02 14:00:01]  notice: Invoking method 'Fill With Zeros' on device '/dev/sda'.
[2019/11/02 14:00:01]  notice: Starting round 1 of 1 on device '/dev/sda'.
[2019/11/02 14:00:01]  notice: Starting pass 1 of 1, round 1 of 1, on device '/dev/sda'.
[2019/11/02 14:09:20]   error: main: read: Input/output error
[2019/11/02 14:09:20]   fatal: Nwipe exited with fatal errors on device = /dev/sda
"""

    (row,) = rows(parse_text(log))

    assert (row["result"], row["drive_serial"]) == ("failed", "5VMJ2K1N")
    assert row["error"] == "nwipe exited with fatal errors on this drive"


def test_it_reads_a_0_26_style_user_abort_as_cancelled() -> None:
    log = """\
[2019/11/02 14:00:00]  notice:   banner   = nwipe 0.26
[2019/11/02 14:00:01]    info: Device '/dev/sda' is size 250059350016.
[2019/11/02 14:00:01]  notice: Invoking method 'DoD Short' on device '/dev/sda'.
[2019/11/02 14:20:00]    info: Exit in progress
[2019/11/02 14:20:00]    info: Requesting wipe thread cancellation for /dev/sda
"""

    (row,) = rows(parse_text(log))

    assert row["result"] == "cancelled"


def test_it_flags_a_host_serial_masked_by_the_quiet_option() -> None:
    log = MODERN_HEAD.format(method="Fill With Zeros", verify="1 (last pass)") + (
        "[2024/01/05 10:00:01]    info: system-serial-number = XXXXXXXXXXXXXXX\n"
        "[2024/01/05 10:00:02]  notice: Invoking method 'Fill With Zeros' on /dev/sda\n"
    )

    (row,) = rows(parse_text(log))

    assert row["device_serial"] is None
    assert has_warning(row, "No host serial", "masked")


def test_it_warns_when_verification_was_asked_for_but_never_logged() -> None:
    log = MODERN_HEAD.format(method="Fill With Zeros", verify="1 (last pass)") + (
        "[2024/01/05 10:00:02]  notice: Invoking method 'Fill With Zeros' on /dev/sda\n"
        "[2024/01/05 10:00:02]  notice: Starting pass 1/1, round 1/1, on /dev/sda\n"
        "[2024/01/05 11:00:02]  notice: Blanking device /dev/sda\n"
        "[2024/01/05 12:00:02]  notice: [SUCCESS] Blanked device /dev/sda\n"
    )

    (row,) = rows(parse_text(log))

    assert (row["result"], row["verification"]) == ("erased_unverified", "none")
    assert has_warning(row, "no verification of this drive")


def test_it_reads_crlf_line_endings() -> None:
    data = (FIXTURES / "nwipe-0.33-zero-verified.log").read_bytes().replace(b"\n", b"\r\n")

    (drive,) = parse_erasure_report(data, filename="windows.log").drives

    assert (drive.result, drive.size_bytes) == ("erased", 67_108_864)


def test_it_counts_passes_as_the_method_passes_times_the_rounds_without_the_blanking_pass() -> None:
    (row,) = rows(parse_fixture("nwipe-0.33-dodshort-two-rounds.log"))

    assert (row["passes"], row["rounds"], row["final_overwrite"], row["verification"]) == (
        6,
        2,
        "blank",
        "last",
    )


def test_it_says_when_a_run_was_set_not_to_blank() -> None:
    (row,) = rows(parse_fixture("nwipe-0.33-prng-noblank.log"))

    assert (row["passes"], row["final_overwrite"]) == (1, "none")


def test_it_shows_the_ops2_final_random_pattern_as_its_final_overwrite_not_a_blank() -> None:
    (row,) = rows(parse_fixture("nwipe-0.33-ops2-final-random-pattern.log"))

    assert (row["passes"], row["final_overwrite"], row["result"]) == (8, "random", "erased")


def test_it_does_not_guess_a_final_overwrite_when_the_log_gives_no_options() -> None:
    log = (
        "[2024/01/05 10:00:02]  notice: Invoking method 'Fill With Zeros' on /dev/sda\n"
        "[2024/01/05 10:00:02]  notice: Starting pass 1/1, round 1/1, on /dev/sda\n"
    )

    (row,) = rows(parse_text(log))

    assert (row["final_overwrite"], row["result"]) == (None, "incomplete")


THREAD_CANCELLED_032 = FIXTURES / "shredos-nwipe-0.32-zero-thread-cancelled-log-cut.txt"


def test_it_reads_a_drive_whose_wipe_thread_was_cancelled_as_cancelled_not_incomplete() -> None:
    # Without "Exit in progress" (only logged with --verbose from 0.29): the thread lines alone must do.
    lines = THREAD_CANCELLED_032.read_text().splitlines(keepends=True)
    log = "".join(line for line in lines if "Exit in progress" not in line and "Requesting" not in line)

    (row,) = rows(parse_text(log))

    assert (row["result"], row["finished_at"]) == ("cancelled", at("2021/11/19 07:27:07"))
    assert "cancelled the wipe" in row["error"]


def test_it_keeps_a_finished_drive_erased_although_nwipe_cancels_every_thread_at_exit() -> None:
    finished, cancelled = rows(parse_fixture("nwipe-0.27-dodshort-two-drives-thread-cancelled.log"))

    assert (finished["result"], finished["finished_at"]) == ("erased", at("2020/02/12 10:38:12"))
    assert cancelled["result"] == "cancelled"


def test_it_reads_the_old_signal_handlers_thread_cancellation_as_cancelled() -> None:
    log = """\
[2018/03/01 09:00:00] nwipe: notice: Invoking method 'PRNG Stream' on device '/dev/sda'.
[2018/03/01 09:00:00] nwipe: notice: Starting round 1 of 1 on device '/dev/sda'.
[2018/03/01 09:00:00] nwipe: notice: Starting pass 1 of 1, round 1 of 1, on device '/dev/sda'.
[2018/03/01 09:41:13] nwipe: info: nwipe_selected = 1
[2018/03/01 09:41:13] nwipe: info: Cancelling thread for /dev/sda
"""

    (row,) = rows(parse_text(log))

    assert (row["result"], row["finished_at"]) == ("cancelled", at("2018/03/01 09:41:13"))


def test_it_reads_the_console_cancellation_messages_nwipe_prints_without_a_time() -> None:
    log = """\
[2022/05/01 09:00:00]  notice: Invoking method 'Fill With Zeros' on /dev/sdb
[2022/05/01 09:00:00]  notice: Starting pass 1/1, round 1/1, on /dev/sdb

Waiting for wipe thread to cancel for /dev/sdb
"""

    (row,) = rows(parse_text(log))

    assert row["result"] == "cancelled"


def test_it_reads_a_drive_interrupted_by_a_signal_before_0_26_as_cancelled() -> None:
    log = """\
[2017/01/09 14:00:00] nwipe: notice: Invoking method 'DoD Short' on device '/dev/sdc'.
[2017/01/09 14:00:00] nwipe: notice: Starting pass 1 of 3, round 1 of 1, on device '/dev/sdc'.
Program interrupted (caught signal 15)
"""

    (row,) = rows(parse_text(log))

    assert row["result"] == "cancelled"


def test_it_reads_a_finished_drive_that_nwipe_0_29_marked_uaborted_as_erased_with_a_warning() -> None:
    log = MODERN_HEAD.format(method="Fill With Zeros", verify="1 (last pass)").replace("0.36", "0.29") + (
        "[2024/01/05 10:00:02]  notice: /dev/sda, sect/blk/dev 512/4096/500107862016\n"
        "[2024/01/05 10:00:02]  notice: Invoking method 'Fill With Zeros' on /dev/sda\n"
        "[2024/01/05 10:00:02]  notice: Starting pass 1/1, round 1/1, on /dev/sda\n"
        "[2024/01/05 11:00:02]  notice: Blanking device /dev/sda\n"
        "[2024/01/05 12:00:02]  notice: Verifying that /dev/sda is empty.\n"
        "[2024/01/05 12:30:02]  notice: [SUCCESS] Verified that /dev/sda is empty.\n"
        "[2024/01/05 12:30:02]  notice: [SUCCESS] Blanked device /dev/sda\n"
        "********************************* Drive Status *********************************\n"
        "!   Device | Status | Thru-put | HH:MM:SS | Model/Serial Number\n"
        "--------------------------------------------------------------------------------\n"
        "!      sda |UABORTED| 100 MB/s | 02:31:00 | ST500LM021-1KJ152/W62ABCDE\n"
        "[2024/01/05 12:31:02] Total Throughput 100 MB/s, Fill With Zeros, 1R+B+VL\n"
        "[2024/01/05 12:31:02]    info: Nwipe was aborted by the user. Check the summary table for the drive status.\n"
    )

    (row,) = rows(parse_text(log))

    assert row["result"] == "erased"
    assert has_warning(row, "UABORTED", "before 0.30")


def test_it_trusts_the_uaborted_status_of_nwipe_0_30_and_later() -> None:
    (row,) = rows(parse_fixture("nwipe-0.33-prng-sigterm-cancelled.log"))

    assert row["result"] == "cancelled"


def test_it_refuses_a_real_log_killed_before_any_wipe_began_and_says_why() -> None:
    with pytest.raises(ErasureReportError, match="before any wipe began"):
        parse_fixture("nwipe-0.33-killed-before-any-wipe.log")
