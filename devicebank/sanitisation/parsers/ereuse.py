"""eReuse Workbench snapshots: the erasure records Workbench attaches to each data-storage component.

Layout (eReuse/workbench `ereuse_workbench/erase.py`, eReuse/devicehub-teal `tests/files/*.snapshot.*`):
`components[]` of type HardDrive, SolidStateDrive or DataStorage carry a list of actions, called `events` in
Workbench 11 and `actions` from 11.0b11/12 on. An erasure action is `EraseBasic` (each step is one `shred` pass,
never read back), `EraseSectors` (random steps are `badblocks -w` passes, which read every block back; zero steps
are `shred -z`) or `ErasePhysical`. Each has `startTime`, `endTime`, `severity` (Info, Notice, Warning, Error) and
`steps` of type StepZero or StepRandom with their own times and severity. `size` is in MB.

Snapshots from workbench-script and Workbench 14 carry raw tool output instead and no erasure results, so they
are refused with a message saying so.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Final

from devicebank.sanitisation.parsers.plausibility import NO_SERIAL_PREFIX
from devicebank.sanitisation.parsers.report import (
    NIST_LEVEL_BY_TECHNIQUE,
    DriveErasure,
    ErasureReport,
    ErasureReportError,
)
from devicebank.sanitisation.parsers.text import clean_identifier, clean_text, decode, describe

TOOL: Final = "eReuse Workbench"
_SNIFF: Final = re.compile(
    rb'"@?type"\s*:\s*"Snapshot"|"software"\s*:\s*"(?:Workbench|workbench-script|WorkbenchLite)"'
)
_DRIVE_TYPES: Final = ("HardDrive", "SolidStateDrive", "DataStorage")
_ERASURES: Final = ("EraseBasic", "EraseSectors", "ErasePhysical")
_SIZE: Final = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(B|kB|KB|MB|GB|TB|KiB|MiB|GiB|TiB)?\s*$")
_UNIT: Final = {
    "B": 1,
    "kB": 10**3,
    "KB": 10**3,
    "MB": 10**6,
    "GB": 10**9,
    "TB": 10**12,
    "KiB": 2**10,
    "MiB": 2**20,
    "GiB": 2**30,
    "TiB": 2**40,
}


@dataclass
class _Times:
    start: datetime | None = None
    end: datetime | None = None
    notes: list[str] = field(default_factory=list)


class EreuseWorkbenchParser:
    """Reads the erasure actions of eReuse Workbench snapshots (JSON): one `DriveErasure` per erasure action."""

    name = "eReuse Workbench snapshot"

    def sniff(self, data: bytes) -> bool:
        head = data[:65536]
        return head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"{" and bool(_SNIFF.search(head))

    def parse(self, data: bytes) -> ErasureReport:
        snapshot = _load(data)
        software = _text(snapshot.get("software")) or "Workbench"
        raw_version = _text(snapshot.get("version"))
        version = _printable(raw_version) if raw_version else None
        report = ErasureReport(tool=TOOL, tool_version=version)
        host_serial, host_notes = _host_serial(snapshot.get("device"))
        report.warnings.extend(host_notes)
        components = snapshot.get("components")
        for component in components if isinstance(components, list) else []:
            if isinstance(component, dict) and component.get("type") in _DRIVE_TYPES:
                for action in _actions(component):
                    report.drives.append(_erasure(component, action, version, host_serial))
        if not report.drives:
            raise ErasureReportError(_why_none(software, snapshot))
        return report


def _load(data: bytes) -> dict[str, Any]:
    try:
        value = json.loads(decode(data))
    except json.JSONDecodeError as exc:
        raise ErasureReportError(
            f"this eReuse snapshot is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from None
    if not isinstance(value, dict):
        raise ErasureReportError("this eReuse snapshot is not a JSON object")
    return value


def _actions(component: dict[str, Any]) -> list[dict[str, Any]]:
    actions = component.get("actions")
    if not isinstance(actions, list):
        actions = component.get("events")  # Workbench 11 called them events
    if not isinstance(actions, list):
        return []
    return [action for action in actions if isinstance(action, dict) and action.get("type") in _ERASURES]


def _erasure(
    component: dict[str, Any], action: dict[str, Any], version: str | None, host: str | None
) -> DriveErasure:
    kind = str(action["type"])
    raw_steps = action.get("steps")
    steps = [step for step in raw_steps if isinstance(step, dict)] if isinstance(raw_steps, list) else []
    technique = "physical_destruction" if kind == "ErasePhysical" else "overwrite"
    verification, verification_notes = _verification(kind, steps)
    times = _times(action, steps)
    result, error, result_notes = _result(action, steps, times, technique)
    if result == "erased" and verification == "none":
        result = "erased_unverified"
    serial = clean_identifier(_text(component.get("serialNumber")))
    model, model_damaged = clean_text(_text(component.get("model")))
    method = kind
    if kind == "ErasePhysical" and _text(action.get("method")):
        method = f"ErasePhysical ({_printable(_text(action.get('method')) or '')})"
    erasure = DriveErasure(
        tool=TOOL,
        tool_version=version,
        device_serial=host,
        drive_model=model,
        drive_serial=serial.value,
        size_bytes=_size_bytes(component.get("size")),
        media_type=_media_type(component),
        method=method,
        passes=None if technique == "physical_destruction" else len(steps),
        technique=technique,
        nist_level=NIST_LEVEL_BY_TECHNIQUE[technique],
        verification=verification,
        result=result,
        started_at=times.start,
        finished_at=times.end if result != "incomplete" else None,
        error=error,
    )
    if serial.problem:
        erasure.warnings.append(
            f"{NO_SERIAL_PREFIX}: the drive's serial was left out because {serial.problem}."
        )
    if model_damaged:
        erasure.warnings.append("The drive model in the snapshot is damaged (not text), so it was left out.")
    erasure.warnings.extend([*times.notes, *verification_notes, *result_notes])
    return erasure


def _verification(kind: str, steps: list[dict[str, Any]]) -> tuple[str, list[str]]:
    """EraseSectors' random steps are badblocks write-and-read passes; everything else is written blind."""
    if kind != "EraseSectors" or not steps:
        return "none", []
    read_back = [step.get("type") == "StepRandom" for step in steps]
    if all(read_back):
        return "all", []
    if read_back[-1]:
        return "last", []
    if any(read_back):
        return "none", [
            "Earlier passes were read back by badblocks, but the final zero pass was not verified."
        ]
    return "none", []


def _result(
    action: dict[str, Any], steps: list[dict[str, Any]], times: _Times, technique: str
) -> tuple[str, str | None, list[str]]:
    severities = [_text(action.get("severity")), *(_text(step.get("severity")) for step in steps)]
    error_flag = action.get("error")
    description = _text(action.get("description"))
    if "Error" in severities or error_flag is True or (isinstance(error_flag, str) and error_flag.strip()):
        detail = description or (error_flag if isinstance(error_flag, str) else None)
        reason = f"Workbench recorded the erasure as failed (severity Error){': ' + detail if detail else ''}"
        return "failed", _printable(reason), []
    notes = (
        ["Workbench gave this erasure a Warning severity; check the snapshot."]
        if "Warning" in severities
        else []
    )
    if technique != "physical_destruction" and not steps:
        return "incomplete", "the snapshot records no erasure passes", notes
    if times.end is None:
        return "incomplete", "the snapshot does not say when the erasure ended", notes
    return "erased", None, notes


def _times(action: dict[str, Any], steps: list[dict[str, Any]]) -> _Times:
    times = _Times()
    start_raw = action.get("startTime") or (steps[0].get("startTime") if steps else None)
    end_raw = action.get("endTime") or (steps[-1].get("endTime") if steps else None)
    times.start = _moment(start_raw, times)
    times.end = _moment(end_raw, times)
    return times


def _moment(raw: Any, times: _Times) -> datetime | None:
    if raw is None:
        return None
    text = _text(raw)
    try:
        moment = datetime.fromisoformat(text or "")
    except ValueError:
        times.notes.append(f"The snapshot has a time the importer cannot read ({describe(str(raw)[:40])}).")
        return None
    if moment.utcoffset() is None:
        times.notes.append("The snapshot gives a time with no time zone; it was read as UTC.")
        moment = moment.replace(tzinfo=UTC)
    return moment


def _size_bytes(raw: Any) -> int | None:
    """Workbench sizes are MB; some snapshots write them as text with a unit ("160042.0 MB")."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int | float):
        return round(raw * 10**6) if 0 < raw < 10**12 else None
    match = _SIZE.match(raw) if isinstance(raw, str) else None
    if match is None:
        return None
    size = float(match[1]) * _UNIT[match[2] or "MB"]
    return round(size) if 0 < size < 10**18 else None


def _media_type(component: dict[str, Any]) -> str | None:
    interface = (_text(component.get("interface")) or "").lower()
    if "nvme" in interface:
        return "nvme"
    return {"SolidStateDrive": "ssd", "HardDrive": "hdd"}.get(str(component.get("type")))


def _host_serial(device: Any) -> tuple[str | None, list[str]]:
    if not isinstance(device, dict):
        return None, []
    cleaned = clean_identifier(_text(device.get("serialNumber")))
    if cleaned.problem:
        return None, [f"No host serial: the computer's serial was left out because {cleaned.problem}."]
    return cleaned.value, []


def _text(value: Any) -> str | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, str | int | float):
        return str(value).strip() or None
    return None


def _printable(text: str) -> str:
    return describe(text)[1:-1]


def _why_none(software: str, snapshot: dict[str, Any]) -> str:
    if "erase" in snapshot or "data" in snapshot:
        return (
            f"this eReuse {_printable(software)} snapshot carries raw hardware data but no erasure results; "
            "import it as a hardware report, and the erasure from the eraser's own log"
        )
    return (
        "this eReuse Workbench snapshot has no erasure results (no EraseBasic, EraseSectors or ErasePhysical on "
        "any drive); import it as a hardware report instead"
    )
