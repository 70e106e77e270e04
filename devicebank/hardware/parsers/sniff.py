"""Turning uploaded bytes into text and deciding which format it is, from the content alone.

Files arrive from many machines and tools, named anything. The format is decided by what is inside; a file
that is none of the accepted formats gets a message naming what it looks like (a PNG, an nwipe log, lshw's
text output), so the person uploading it knows what to do instead.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any, Final

from devicebank.hardware.parsers.jsontext import describe_json_error
from devicebank.hardware.parsers.report import HardwareReportError

MAX_REPORT_BYTES: Final = 20_000_000

_MAGIC: Final = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (or an Office document such as .xlsx or .docx)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Microsoft Office document"),
    (b"\x1f\x8b", "gzip-compressed data (decompress it first)"),
    (b"\xfd7zXZ\x00", "xz-compressed data (decompress it first)"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"\x7fELF", "a program (ELF executable)"),
    (b"SQLite format 3\x00", "an SQLite database"),
)
_UTF16_BOMS: Final = (b"\xff\xfe", b"\xfe\xff")
_MAX_BAD_BYTES_RATIO: Final = 0.01
_MAX_CONTROL_RATIO: Final = 0.05

_DMIDECODE = re.compile(
    r"^# dmidecode \d|^Handle 0x[0-9A-Fa-f]+, DMI type \d+"
    r"|^(BIOS|System|Base Board|Chassis|Processor) Information\n\t\S|^Memory Device\n\t\S",
    re.MULTILINE,
)
_NWIPE_LINE = re.compile(r"^\[\d{4}/\d\d/\d\d \d\d:\d\d:\d\d\]", re.MULTILINE)
_SMARTCTL_TEXT = re.compile(r"^smartctl \d+\.\d+", re.MULTILINE)
_LSHW_TEXT = re.compile(r"^\s+\*-[\w:.-]+", re.MULTILINE)
_LEADING_WARNING = re.compile(r"^\s*(WARNING|warning|Warning)\b.*$")
_EREUSE_MARKERS = re.compile(
    r'"@?type"\s*:\s*"Snapshot"|"software"\s*:\s*"(Workbench|workbench-script|WorkbenchLite)"|"DeviceSnapshot"'
    r'|"components"\s*:\s*\[\s*\{'
)
_SMARTCTL_MARKERS = re.compile(r'"json_format_version"|"smartctl"\s*:\s*\{')
_LSHW_MARKERS = re.compile(
    r'"class"\s*:\s*"(system|bus|memory|processor|disk|network|storage|bridge|display|multimedia|input'
    r'|volume|power|generic|communication)"'
)


@dataclass
class Sniffed:
    """The decoded text, its format, the parsed JSON when it parsed cleanly, and notes about decoding."""

    format: str
    text: str
    json_value: Any = None
    warnings: list[str] = field(default_factory=list)


def _refuse(what: str) -> HardwareReportError:
    return HardwareReportError(f"not a hardware report: looks like {what}")


def decode_report(data: bytes) -> tuple[str, list[str]]:
    """Bytes to text, refusing binary files; returns the text and warnings about unreadable bytes."""
    if not isinstance(data, bytes | bytearray | memoryview):
        raise HardwareReportError("not a hardware report: expected the file's bytes")
    data = bytes(data)
    if len(data) > MAX_REPORT_BYTES:
        raise HardwareReportError(
            f"file too large: {len(data):,} bytes, over the {MAX_REPORT_BYTES // 1_000_000} MB limit "
            "(hardware reports are well under 1 MB; is this the right file?)"
        )
    if not data.strip():
        raise HardwareReportError("empty file: there is nothing to read")
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise _refuse(what)
    if data.startswith(_UTF16_BOMS):
        try:
            return _normalise_newlines(data.decode("utf-16")), []
        except UnicodeDecodeError:
            raise HardwareReportError("not a hardware report: damaged UTF-16 text") from None
    if b"\x00" in data[:65536]:
        raise _refuse("binary data, not a text report")
    return _decode_utf8(data)


def _decode_utf8(data: bytes) -> tuple[str, list[str]]:
    warnings = []
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("utf-8", errors="replace")
        bad = text.count("\ufffd")
        if bad > max(16, len(text) * _MAX_BAD_BYTES_RATIO):
            raise _refuse("binary data or text in an unknown encoding, not a text report") from None
        warnings.append(f"The file is not valid UTF-8: {bad} unreadable byte(s) were replaced.")
    controls = sum(1 for ch in text[:65536] if ord(ch) < 32 and ch not in "\t\n\r\f\v")
    if controls > max(16, min(len(text), 65536) * _MAX_CONTROL_RATIO):
        raise _refuse("binary data, not a text report")
    return _normalise_newlines(text), warnings


def _normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def sniff(data: bytes) -> Sniffed:
    """Decode and classify a file. Raises `HardwareReportError` when it is not an accepted format."""
    text, warnings = decode_report(data)
    text, lead_warnings = _strip_tool_warnings(text)
    stripped = text.lstrip()
    if stripped.startswith(("{", "[")):
        sniffed = _classify_json(text)
    elif _DMIDECODE.search(text):
        sniffed = Sniffed("dmidecode", text)
    else:
        raise HardwareReportError(_wrong_kind_message(text))
    sniffed.warnings = warnings + lead_warnings + sniffed.warnings
    return sniffed


def detect_format(data: bytes) -> str:
    """Which accepted format the bytes are in: "lshw", "dmidecode", "smartctl" or "ereuse-workbench".

    Raises:
        HardwareReportError: The content is none of them (the message says what it looks like instead).
    """
    return sniff(data).format


def _strip_tool_warnings(text: str) -> tuple[str, list[str]]:
    """Drop tool warnings printed around JSON (lshw not run as root prints one before and one after it)."""
    lines = text.split("\n")
    start = 0
    while start < min(len(lines), 5) and _LEADING_WARNING.match(lines[start]):
        start += 1
    end = len(lines)
    while end > start and (not lines[end - 1].strip() or _LEADING_WARNING.match(lines[end - 1])):
        end -= 1
    body = "\n".join(lines[start:end])
    skipped = [line.strip() for line in lines[:start] + lines[end:] if line.strip()]
    if not skipped or not body.lstrip().startswith(("{", "[")):
        return text, []
    note = f"The tool printed a warning around its output ('{skipped[0][:100]}')"
    if any("super-user" in line or "root" in line for line in skipped):
        note += ": it was not run as root, so serial numbers and memory details may be missing"
    return body + "\n", [note + "."]


def _classify_json(text: str) -> Sniffed:
    try:
        value = json.loads(text, strict=False)
    except json.JSONDecodeError as exc:
        return Sniffed(_guess_broken_json(text, exc), text)
    except RecursionError:
        raise HardwareReportError("invalid JSON: nested too deeply to be a hardware report") from None
    except ValueError:  # e.g. a number with more digits than Python will convert
        raise HardwareReportError("invalid JSON: a number too long to be real hardware data") from None
    return Sniffed(_classify_value(value), text, value)


def _guess_broken_json(text: str, error: json.JSONDecodeError) -> str:
    """Name the format of JSON that does not parse, so its parser can repair it or explain the damage."""
    head = text[:200_000]
    if _EREUSE_MARKERS.search(head):
        return "ereuse-workbench"
    if _SMARTCTL_MARKERS.search(head):
        return "smartctl"
    if _LSHW_MARKERS.search(head):
        return "lshw"
    # "[2026/11/24 09:19:56] notice: …" starts with a bracket too: name what it is before blaming the JSON.
    known = _known_wrong_kind(head)
    raise HardwareReportError(known or describe_json_error(text, error))


def is_smartctl(value: object) -> bool:
    return isinstance(value, dict) and (
        "json_format_version" in value or isinstance(value.get("smartctl"), dict)
    )


def is_lshw_node(value: object) -> bool:
    return (
        isinstance(value, dict)
        and isinstance(value.get("class"), str)
        and ("id" in value or "children" in value)
    )


def is_ereuse(value: object) -> bool:
    if not isinstance(value, dict):
        return False
    kind = value.get("type", value.get("@type"))
    if kind == "Snapshot" or (isinstance(kind, list) and "VerifiableCredential" in kind):
        return True
    if isinstance(value.get("device"), dict) and isinstance(value.get("components"), list):
        return True
    return str(value.get("software", "")).lower() in {"workbench", "workbench-script", "workbenchlite"}


def _classify_value(value: Any) -> str:
    if isinstance(value, dict):
        if is_ereuse(value):
            return "ereuse-workbench"
        if is_smartctl(value):
            return "smartctl"
        if is_lshw_node(value):
            return "lshw"
        keys = ", ".join(sorted(str(key) for key in value)[:8]) or "none"
        raise HardwareReportError(
            f"not a hardware report: JSON this tool does not read (top-level keys: {keys})"
        )
    if isinstance(value, list):
        if not value:
            raise HardwareReportError("not a hardware report: an empty JSON list")
        if all(is_smartctl(item) for item in value):
            return "smartctl"
        if is_lshw_node(value[0]):
            return "lshw"
        raise HardwareReportError(
            "not a hardware report: a JSON list of something other than lshw or smartctl data"
        )
    raise HardwareReportError("not a hardware report: JSON holding a single value")


def _wrong_kind_message(text: str) -> str:
    head = text[:20_000]
    known = _known_wrong_kind(head)
    if known:
        return known
    stripped = head.lstrip()
    first_line = stripped.split("\n", 1)[0][:60]
    return f"not a hardware report: unrecognised text starting '{first_line}'"


def _known_wrong_kind(head: str) -> str | None:
    """A specific message for files people upload by mistake, or None."""
    lowered = head.lower()
    if _NWIPE_LINE.search(head) and ("nwipe" in lowered or "notice:" in lowered):
        return "not a hardware report: looks like an nwipe log (a wipe record); upload it as a sanitisation record"
    if _SMARTCTL_TEXT.search(head):
        return (
            "smartctl text output is not read: run `smartctl --json -x /dev/sdX` (or -j -a) and upload that"
        )
    if head.startswith("H/W path") or (_LSHW_TEXT.search(head) and "description:" in head):
        return "lshw text output is not read: run `lshw -json` and upload that"
    stripped = head.lstrip()
    if stripped.startswith("<"):
        if "lshw" in lowered[:2000]:
            return "lshw XML or HTML output is not read: run `lshw -json` and upload that"
        return str(_refuse("an XML or HTML document"))
    if _looks_like_csv(head):
        return str(_refuse("a CSV spreadsheet"))
    return None


def _looks_like_csv(text: str) -> bool:
    lines = [line for line in text.split("\n")[:20] if line.strip()]
    if len(lines) < 2:
        return False
    for separator in (",", ";", "\t"):
        counts = {line.count(separator) for line in lines[:10]}
        if min(counts) >= 1 and max(counts) - min(counts) <= 1 and lines[0].count(separator) >= 1:
            return True
    return False
