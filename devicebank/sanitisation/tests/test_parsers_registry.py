"""Choosing a parser from the content, refusing what is not an erasure report, and the JSON shape."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from pathlib import Path

import pytest

from devicebank.sanitisation.parsers import (
    JSON_KEYS,
    PARSERS,
    BlanccoParser,
    DriveErasure,
    ErasureReport,
    ErasureReportError,
    EreuseWorkbenchParser,
    NwipeParser,
    error_json,
    parse_erasure_report,
)

FIXTURES = Path(__file__).resolve().parent / "fixtures"
NWIPE_LOG = "nwipe-0.33-zero-verified.log"


def fixture_bytes(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def refusal(data: bytes) -> str:
    with pytest.raises(ErasureReportError) as caught:
        parse_erasure_report(data, filename="upload")
    return str(caught.value)


def test_it_chooses_the_parser_from_the_content_not_the_file_name() -> None:
    report = parse_erasure_report(fixture_bytes(NWIPE_LOG), filename="snapshot.json")

    assert report.tool == "nwipe"


@pytest.mark.parametrize(
    ("name", "parser"),
    [
        ("nwipe-0.21-2016-dodshort-two-drives.log", NwipeParser),
        ("shredos-nwipe-0.35-zero-ssd-and-hdd-with-hpa.txt", NwipeParser),
        ("nwipe-0.33-zero-unverified-damaged-serial.log", NwipeParser),
        ("ereuse-workbench-11-events-two-hdds.json", EreuseWorkbenchParser),
        ("blancco-drive-eraser-report.xml", BlanccoParser),
        ("blancco-management-portal-api.json", BlanccoParser),
    ],
)
def test_exactly_one_parser_recognises_each_fixture(name: str, parser: type) -> None:
    matched = [type(candidate) for candidate in PARSERS if candidate.sniff(fixture_bytes(name))]

    assert matched == [parser]


@pytest.mark.parametrize("name", ["blancco-drive-eraser-report.xml", "blancco-management-portal-api.json"])
def test_it_recognises_a_blancco_report_and_says_it_is_not_supported_yet(name: str) -> None:
    message = refusal(fixture_bytes(name))

    assert "Blancco reports are recognised but not yet supported" in message


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", "the file is empty"),
        (b"  \n\n\t ", "the file is empty"),
        (b"\x00\x01\x02\x03" * 64, "binary data"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "a PNG image"),
        (
            b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n",
            "a PDF document (for nwipe, upload the log file, not the PDF certificate)",
        ),
        (b"\x1f\x8b\x08\x00\x00\x00\x00\x00", "gzip-compressed data"),
        (b"PK\x03\x04\x14\x00\x06\x00", "a ZIP archive"),
        (b"asset_tag,serial,model,wiped\nA1,PF1ABCDE,T480,yes\n", "a spreadsheet (CSV)"),
        (
            b'{"id": "vm", "class": "system", "product": "Standard PC", "children": []}',
            "lshw's JSON hardware listing",
        ),
        (b'{"json_format_version": [1, 0], "smartctl": {"version": [7, 3]}}', "smartctl's JSON output"),
        (b"# dmidecode 3.4\nHandle 0x0001, DMI type 1, 27 bytes\nSystem Information\n", "dmidecode output"),
        (b'{"hello": "world"}', "JSON but not a kind of erasure report"),
        (b"<html><body>hello</body></html>", "XML or HTML"),
        (b"Shredding /dev/sda... done\n", "not an erasure report the importer recognises"),
    ],
)
def test_it_refuses_what_is_not_an_erasure_report_with_a_clear_reason(data: bytes, expected: str) -> None:
    message = refusal(data)

    assert expected in message
    assert not message.startswith("upload")  # the caller prefixes the file name, not the parser


def test_it_reads_a_log_re_saved_as_utf16_by_a_windows_editor() -> None:
    text = fixture_bytes(NWIPE_LOG).decode("utf-8")

    (drive,) = parse_erasure_report(text.encode("utf-16"), filename="notepad.log").drives

    assert drive.result == "erased"


def test_it_lists_what_it_accepts_when_it_refuses_another_tools_file() -> None:
    assert "accepted: nwipe or ShredOS logs, and eReuse Workbench snapshots" in refusal(b"a;b;c\n1;2;3\n")


def test_it_refuses_a_file_larger_than_any_erasure_report() -> None:
    assert "at most 50 MB" in refusal(b"x" * 50_000_001)


def test_every_drive_row_has_exactly_the_json_keys() -> None:
    for drive in parse_erasure_report(fixture_bytes(NWIPE_LOG), filename=NWIPE_LOG).drives:
        row = drive.to_json(NWIPE_LOG)

        assert tuple(row) == JSON_KEYS
        assert row["file"] == NWIPE_LOG
        json.dumps(row, ensure_ascii=False).encode("utf-8")  # storable and printable as it is


def test_the_json_keys_include_every_key_the_cli_promises() -> None:
    promised = {"file", "tool", "tool_version", "device_serial", "drive_model", "drive_serial", "size_bytes"}
    promised |= {
        "method",
        "passes",
        "verification",
        "result",
        "started_at",
        "finished_at",
        "warnings",
        "error",
    }

    assert promised <= set(JSON_KEYS)


def test_an_error_row_has_every_key_empty_except_the_error() -> None:
    row = error_json("laptop-42.log", "the file is empty")

    assert tuple(row) == JSON_KEYS
    assert row == {
        **dict.fromkeys(JSON_KEYS),
        "file": "laptop-42.log",
        "warnings": [],
        "error": "the file is empty",
    }


def test_the_damaged_serial_log_still_yields_json_that_encodes_as_utf8() -> None:
    name = "nwipe-0.33-zero-unverified-damaged-serial.log"
    for drive in parse_erasure_report(fixture_bytes(name), filename=name).drives:
        json.dumps(drive.to_json(name), ensure_ascii=False).encode("utf-8")


class _BrokenParser:
    name = "broken report"

    def sniff(self, data: bytes) -> bool:
        return data.startswith(b"BROKEN")

    def parse(self, data: bytes) -> ErasureReport:
        raise KeyError("oops")


class _ShoutingSniffer(_BrokenParser):
    def sniff(self, data: bytes) -> bool:
        raise RuntimeError("sniffer bug")


class _InventiveParser(_BrokenParser):
    def parse(self, data: bytes) -> ErasureReport:
        drive = DriveErasure(
            tool="x",
            tool_version=None,
            device_serial=None,
            drive_model=None,
            drive_serial="ABC123",
            size_bytes=None,
            media_type=None,
            method=None,
            passes=None,
            technique="overwrite",
            nist_level="clear",
            verification="none",
            result="probably fine",
            started_at=None,
            finished_at=None,
        )
        return ErasureReport(tool="x", tool_version=None, drives=[drive])


class _TinyParser(_BrokenParser):
    name = "tiny tool report"

    def parse(self, data: bytes) -> ErasureReport:
        drive = DriveErasure(
            tool="tiny",
            tool_version="1.0",
            device_serial=None,
            drive_model="Disk",
            drive_serial="ABC123",
            size_bytes=1_000_000_000,
            media_type="hdd",
            method="one pass of zeros",
            passes=1,
            technique="overwrite",
            nist_level="clear",
            verification="last",
            result="erased",
            started_at=datetime(2024, 1, 1, 10, 0, tzinfo=UTC),
            finished_at=datetime(2024, 1, 1, 10, 0, 1, tzinfo=UTC),
        )
        return ErasureReport(tool="tiny", tool_version="1.0", drives=[drive], warnings=["File-level note."])


def test_a_new_parser_only_needs_adding_to_the_registry(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("devicebank.sanitisation.parsers.registry.PARSERS", [_TinyParser(), *PARSERS])

    (drive,) = parse_erasure_report(b"BROKEN but tiny", filename="t").drives

    assert drive.warnings == [
        "File-level note."
    ]  # file-level notes copied in, plausibility checks run (all fine)


def test_it_turns_a_parser_bug_into_a_plain_refusal_and_logs_it(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr("devicebank.sanitisation.parsers.registry.PARSERS", [_BrokenParser()])

    with caplog.at_level(logging.ERROR):
        message = refusal(b"BROKEN file")

    assert message == "this broken report has content the importer does not understand (KeyError)"
    assert "Unexpected error reading upload" in caplog.text


def test_a_sniffer_bug_does_not_stop_the_other_parsers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        "devicebank.sanitisation.parsers.registry.PARSERS", [_ShoutingSniffer(), NwipeParser()]
    )

    report = parse_erasure_report(fixture_bytes(NWIPE_LOG), filename=NWIPE_LOG)

    assert report.tool == "nwipe"


def test_it_refuses_a_parser_result_outside_the_vocabulary(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("devicebank.sanitisation.parsers.registry.PARSERS", [_InventiveParser()])

    assert "'probably fine'" in refusal(b"BROKEN but inventive")
