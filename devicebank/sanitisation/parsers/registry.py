"""The one entry point, and the list of parsers it chooses from.

To read another tool's reports, write a class with `name`, `sniff` and `parse` (see `ErasureParser`) and add an
instance to `PARSERS`; nothing else changes. `parse_erasure_report` decides the format from the content alone,
guards against parser bugs, copies file-level warnings onto each drive and runs the plausibility checks, so a
new parser gets all of that for free.
"""

from __future__ import annotations

import logging
import re
from typing import Final, Protocol

from devicebank.sanitisation.parsers.blancco import BlanccoParser
from devicebank.sanitisation.parsers.ereuse import EreuseWorkbenchParser
from devicebank.sanitisation.parsers.nwipe import NwipeParser
from devicebank.sanitisation.parsers.plausibility import plausibility_warnings
from devicebank.sanitisation.parsers.report import (
    FINAL_OVERWRITES,
    MEDIA_TYPES,
    NIST_LEVELS,
    RESULTS,
    TECHNIQUES,
    VERIFICATIONS,
    DriveErasure,
    ErasureReport,
    ErasureReportError,
)

logger = logging.getLogger(__name__)

MAX_REPORT_BYTES: Final = 50_000_000
ACCEPTED: Final = "nwipe or ShredOS logs, and eReuse Workbench snapshots with erasure results"


class ErasureParser(Protocol):
    """Reads one tool's erasure reports.

    Attributes:
        name: A short name for messages and logs ("nwipe log").
    """

    name: str

    def sniff(self, data: bytes) -> bool:
        """True when `data` is this tool's report. Cheap, and never raises."""
        ...

    def parse(self, data: bytes) -> ErasureReport:
        """Read the report. Raises `ErasureReportError` (with a plain reason) and nothing else on purpose."""
        ...


# Order matters only where two sniffers could both match: Blancco's JSON goes before the other JSON readers.
PARSERS: list[ErasureParser] = [BlanccoParser(), NwipeParser(), EreuseWorkbenchParser()]

_MAGIC: Final = (
    (b"%PDF-", "a PDF document (for nwipe, upload the log file, not the PDF certificate)"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"PK\x03\x04", "a ZIP archive or an Office document (unzip it, or export the report as text)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Microsoft Office document"),
    (b"\x1f\x8b", "gzip-compressed data (decompress it first)"),
    (b"\xfd7zXZ\x00", "xz-compressed data (decompress it first)"),
    (b"BZh", "bzip2-compressed data (decompress it first)"),
    (b"\x7fELF", "a program (ELF executable)"),
    (b"SQLite format 3\x00", "an SQLite database"),
)
_LOOKS_LIKE: Final = (
    (
        re.compile(rb'"class"\s*:\s*"(?:system|bus|memory|processor|disk|storage|network)"'),
        "lshw's JSON hardware listing",
    ),
    (re.compile(rb'"json_format_version"|"smartctl"\s*:\s*\{'), "smartctl's JSON output"),
    (re.compile(rb"^# dmidecode \d|^Handle 0x[0-9A-Fa-f]+, DMI type", re.MULTILINE), "dmidecode output"),
    (re.compile(rb"^smartctl \d+\.\d+", re.MULTILINE), "smartctl's text output"),
    (re.compile(rb'"@?type"\s*:\s*"Snapshot"'), "an eReuse snapshot"),
)


def parse_erasure_report(data: bytes, *, filename: str) -> ErasureReport:
    """Read an erasure report, whatever the tool (decided from the content, never from `filename`).

    Args:
        data: The file's bytes (at most 50 MB).
        filename: The uploaded name; used only to log unexpected failures.

    Returns:
        The report, with at least one drive. Each drive's warnings start with the file-level warnings and end
        with the plausibility checks.

    Raises:
        ErasureReportError: The file is not a readable erasure report. Nothing else is raised: an unexpected
            failure inside a parser is logged and reported as an `ErasureReportError` too.
    """
    if len(data) > MAX_REPORT_BYTES:
        raise ErasureReportError(
            f"the file is {len(data) / 10**6:,.0f} MB; erasure reports are far smaller (at most 50 MB is read)"
        )
    data = _utf8(data)
    _reject_unreadable(data)
    parser = _choose(data, filename)
    report = _run(parser, data, filename)
    return _finish(report, parser)


def _utf8(data: bytes) -> bytes:
    """A log re-saved on Windows may be UTF-16 with a byte-order mark; every parser reads UTF-8 bytes."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", "replace").encode("utf-8")
    return data


def _reject_unreadable(data: bytes) -> None:
    if not data.strip():
        raise ErasureReportError("the file is empty")
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise ErasureReportError(f"this is {what}, not an erasure report; accepted: {ACCEPTED}")
    head = data[:65536]
    if b"\x00" in head or sum(byte < 9 or 13 < byte < 32 for byte in head) > len(head) // 20:
        raise ErasureReportError(f"this is binary data, not an erasure report; accepted: {ACCEPTED}")


def _choose(data: bytes, filename: str) -> ErasureParser:
    for parser in PARSERS:
        try:
            matched = parser.sniff(data)
        except Exception:  # a sniffer bug must not hide the other parsers
            logger.exception("Sniffer %s failed on %s", parser.name, filename)
            matched = False
        if matched:
            return parser
    raise ErasureReportError(_describe_other(data))


def _describe_other(data: bytes) -> str:
    head = data[:65536]
    for pattern, what in _LOOKS_LIKE:
        if pattern.search(head):
            return f"this looks like {what}, not an erasure report; accepted: {ACCEPTED}"
    first_line = head.lstrip().split(b"\n", 1)[0]
    if first_line.count(b",") >= 2 or first_line.count(b";") >= 2 or first_line.count(b"\t") >= 2:
        return f"this looks like a spreadsheet (CSV), not an erasure report; accepted: {ACCEPTED}"
    if head.lstrip()[:1] in (b"{", b"["):
        return f"this is JSON but not a kind of erasure report the importer reads; accepted: {ACCEPTED}"
    if head.lstrip()[:1] == b"<":
        return (
            f"this is XML or HTML but not a kind of erasure report the importer reads; accepted: {ACCEPTED}"
        )
    return f"this is not an erasure report the importer recognises; accepted: {ACCEPTED}"


def _run(parser: ErasureParser, data: bytes, filename: str) -> ErasureReport:
    try:
        return parser.parse(data)
    except ErasureReportError:
        raise
    except (RecursionError, MemoryError):
        raise ErasureReportError(f"this {parser.name} is too deeply nested or too large to read") from None
    except Exception as exc:  # a parser bug must not become a 500 or stop a batch import
        logger.exception("Unexpected error reading %s as %s", filename, parser.name)
        raise ErasureReportError(
            f"this {parser.name} has content the importer does not understand ({type(exc).__name__})"
        ) from exc


def _finish(report: ErasureReport, parser: ErasureParser) -> ErasureReport:
    if not report.drives:
        raise ErasureReportError(f"this {parser.name} records no erasure of any drive")
    for drive in report.drives:
        _check_vocabulary(drive, parser)
        merged = [*report.warnings, *drive.warnings]
        drive.warnings = merged
        drive.warnings.extend(plausibility_warnings(drive))
        drive.warnings = list(dict.fromkeys(drive.warnings))
    return report


def _check_vocabulary(drive: DriveErasure, parser: ErasureParser) -> None:
    """A parser bug that invents a value must fail loudly here, not leak into stored records."""
    allowed = (
        (drive.result, RESULTS),
        (drive.verification, VERIFICATIONS),
        (drive.technique, TECHNIQUES),
        (drive.media_type, (*MEDIA_TYPES, None)),
        (drive.nist_level, (*NIST_LEVELS, None)),
        (drive.final_overwrite, (*FINAL_OVERWRITES, None)),
    )
    for value, choices in allowed:
        if value not in choices:
            logger.error("Parser %s produced %r, not one of %r", parser.name, value, choices)
            raise ErasureReportError(
                f"this {parser.name} produced a value the importer does not accept ({value!r})"
            )
    for moment in (drive.started_at, drive.finished_at):
        if moment is not None and moment.utcoffset() is None:
            logger.error("Parser %s produced a naive datetime", parser.name)
            raise ErasureReportError(
                f"this {parser.name} has a time the importer could not place in a time zone"
            )
