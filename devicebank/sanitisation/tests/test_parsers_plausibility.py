"""Plausibility checks: odd records are flagged for a human, never silently accepted or changed."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from devicebank.sanitisation.parsers import DriveErasure, parse_erasure_report, plausibility_warnings

START = datetime(2024, 3, 1, 9, 0, tzinfo=UTC)
GOOD = DriveErasure(
    tool="nwipe",
    tool_version="0.35",
    device_serial="PF1ABCDE",
    drive_model="ST500LM021-1KJ152",
    drive_serial="W62ABCDE",
    size_bytes=500_107_862_016,
    media_type="hdd",
    method="Fill With Zeros",
    passes=2,
    technique="overwrite",
    nist_level="clear",
    verification="last",
    result="erased",
    started_at=START,
    finished_at=START + timedelta(hours=3),
)


def warnings_for(**changes: object) -> list[str]:
    return plausibility_warnings(replace(GOOD, **changes))  # type: ignore[arg-type]


def test_a_plausible_record_gets_no_warning() -> None:
    assert plausibility_warnings(GOOD) == []


def test_it_flags_a_start_after_the_finish() -> None:
    (warning,) = warnings_for(finished_at=START - timedelta(minutes=5))

    assert warning.startswith("Start after finish")


def test_it_flags_a_wipe_that_took_more_than_30_days() -> None:
    (warning,) = warnings_for(finished_at=START + timedelta(days=31))

    assert warning.startswith("Implausibly long")
    assert "31 days" in warning


def test_it_does_not_flag_a_long_but_possible_wipe() -> None:
    assert warnings_for(finished_at=START + timedelta(days=6)) == []


def test_it_flags_500_gb_overwritten_in_a_second() -> None:
    (warning,) = warnings_for(finished_at=START + timedelta(seconds=1))

    assert warning.startswith("Implausibly fast")
    assert "1,000 GB/s" in warning


def test_it_treats_a_wipe_logged_within_one_second_as_taking_a_second() -> None:
    assert warnings_for(size_bytes=64 * 2**20, finished_at=START) == []


def test_it_does_not_flag_a_fast_firmware_erase() -> None:
    crypto = {"technique": "crypto_erase", "nist_level": "purge", "passes": None, "verification": "none"}

    assert warnings_for(**crypto, finished_at=START + timedelta(seconds=4)) == []


def test_it_does_not_flag_speed_for_a_wipe_that_did_not_finish() -> None:
    assert warnings_for(result="cancelled", finished_at=START + timedelta(seconds=1)) == []


@pytest.mark.parametrize("serial", ["00000000", "To Be Filled By O.E.M.", "XXXXXXXXXX", "Default string"])
def test_it_flags_a_placeholder_drive_serial(serial: str) -> None:
    (warning,) = warnings_for(drive_serial=serial)

    assert warning.startswith("Placeholder drive serial")


def test_it_flags_a_damaged_drive_serial() -> None:
    (warning,) = warnings_for(drive_serial="S3Z2\x7f\udcff")

    assert warning.startswith("Damaged drive serial")
    assert "\\x7f\\xff" in warning


def test_it_flags_a_missing_drive_serial() -> None:
    (warning,) = warnings_for(drive_serial=None)

    assert warning.startswith("No drive serial")


def test_it_does_not_repeat_a_missing_serial_the_parser_already_explained() -> None:
    explained = ["No drive serial: the serial nwipe logged was left out because it is damaged."]

    assert warnings_for(drive_serial=None, warnings=explained) == []


def test_parsing_applies_the_checks_to_every_drive() -> None:
    log = b"""\
[2024/03/01 09:00:00]  notice:   banner   = nwipe 0.35
[2024/03/01 09:00:00]  notice:   verify   = 1 (last pass)
[2024/03/01 09:00:00]  notice: Found /dev/sda, ATA    , ST500LM021-1KJ152, 500 GB, S/N=W62ABCDE
[2024/03/01 09:00:00]  notice: /dev/sda, sect/blk/dev 512/4096/500107862016
[2024/03/01 09:00:00]  notice: Invoking method 'Fill With Zeros' on /dev/sda
[2024/03/01 09:00:00]  notice: Starting pass 1/1, round 1/1, on /dev/sda
[2024/03/01 09:00:01]  notice: Verifying that /dev/sda is empty.
[2024/03/01 09:00:01]  notice: [SUCCESS] Verified that /dev/sda is empty.
[2024/03/01 09:00:01]  notice: [SUCCESS] Blanked device /dev/sda
"""

    (drive,) = parse_erasure_report(log, filename="too-fast.log").drives

    assert drive.result == "erased"
    assert any(warning.startswith("Implausibly fast") for warning in drive.warnings)
