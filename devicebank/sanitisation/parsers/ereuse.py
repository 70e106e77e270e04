"""eReuse Workbench snapshots: the erasure records Workbench attaches to each data-storage component.

Two layouts, both JSON (eReuse/workbench `ereuse_workbench/erase.py`, `eraser.py`, `workbench.py`; eReuse/DeviceHub
`resources/event/device/erase_basic`; eReuse/devicehub-teal `resources/action/schemas.py` and `tests/files`):

- **2016 to 2018** (Workbench/DeviceInventory 7 to 10): `"@type": "Snapshot"` (or `"devices:Snapshot"`), components
  keyed `@type` (every drive is a `HardDrive`, rotating or not), and each erased drive carries one `erasure` object:
  `{"@type": "EraseBasic" | "EraseSectors", "startingTime", "endingTime", "success", "secureRandomSteps",
  "cleanWithZeros", "steps": [{"@type": "Zeros" | "Random", "startingTime", "endingTime", "success"}]}`. Times have
  no zone. Workbench 10 also puts lshw's whole JSON listing under `debug`, which is why these snapshots must not be
  taken for an lshw report.
- **Workbench 11 and later** (2018 on, and snapshots DeviceHub re-exports): `"type": "Snapshot"`, components of type
  `HardDrive`, `SolidStateDrive` or `DataStorage`, each with a list of actions (`events` in 11.0a, `actions`
  from 11.0b). Erasures are `EraseBasic` (each step one `shred` pass, never read back), `EraseSectors` (random steps
  are `badblocks -w` passes, which read every block back; a zero step is `shred -z`), `EraseCrypto` and
  `ErasePhysical`, with `startTime`, `endTime`, `severity` (Info, Notice, Warning, Error) and `steps` of type
  `StepZero` or `StepRandom` with their own times and severity. Workbench 11 records a failed erasure with severity
  Error and no end time (its timer stops only when the command succeeds).

Sizes: a size with a unit ("160042.0 MB") is exact; a bare number is not, because some Workbench versions wrote MB
and others MiB under the same key, so it is left out with a note. Snapshots from workbench-script and Workbench 14
carry raw tool output and no erasure results, so they are refused with a message saying so.
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
SIZE_NOTE_PREFIX: Final = "Size not recorded"
# Anywhere in the file, not only at its start: Workbench 10 and 11 write `debug` (lshw's listing, megabytes of it)
# and the components before the snapshot's own type, and JSON keys may come in any order.
_SNIFF: Final = re.compile(
    rb'"@?type"\s*:\s*"(?:devices:)?Snapshot"'
    rb'|"(?:snapshotS|s)oftware"\s*:\s*"(?:Workbench|workbench-script|WorkbenchLite|DDI)"'
)
_DRIVE_TYPES: Final = ("HardDrive", "SolidStateDrive", "DataStorage")
_ERASURES: Final = ("EraseBasic", "EraseSectors", "EraseCrypto", "ErasePhysical")
_TECHNIQUE: Final = {
    "EraseBasic": "overwrite",
    "EraseSectors": "overwrite",
    "EraseCrypto": "crypto_erase",
    "ErasePhysical": "physical_destruction",
}
_SEVERITIES: Final = {"info": "Info", "notice": "Notice", "warning": "Warning", "error": "Error"}
_ZERO_STEPS: Final = ("StepZero", "Zeros")
_RANDOM_STEPS: Final = ("StepRandom", "Random")
_SIZE: Final = re.compile(r"^\s*(\d{1,15}(?:\.\d{1,12})?)\s*([A-Za-z]{1,9})\s*$")
_UNIT: Final = {
    "b": 1,
    "kb": 10**3,
    "mb": 10**6,
    "gb": 10**9,
    "tb": 10**12,
    "kib": 2**10,
    "mib": 2**20,
    "gib": 2**30,
    "tib": 2**40,
    "byte": 1,
    "bytes": 1,
    "kilobyte": 10**3,
    "megabyte": 10**6,
    "gigabyte": 10**9,
    "terabyte": 10**12,
    "kibibyte": 2**10,
    "mebibyte": 2**20,
    "gibibyte": 2**30,
    "tebibyte": 2**40,
}


@dataclass
class _Step:
    kind: str | None
    start: datetime | None
    end: datetime | None
    failed: bool
    severity: str | None


@dataclass
class _Erasure:
    """One erasure as the snapshot states it, in either layout, before anything is decided."""

    kind: str
    drive: dict[str, Any]
    label: str
    legacy: bool
    start: datetime | None = None
    end: datetime | None = None
    steps: list[_Step] = field(default_factory=list)
    steps_given: bool = False
    severities: list[str | None] = field(default_factory=list)
    failed_flag: bool = False
    detail: str | None = None
    physical_method: str | None = None
    notes: list[str] = field(default_factory=list)


class EreuseWorkbenchParser:
    """Reads the erasures in eReuse Workbench snapshots (JSON): one `DriveErasure` per erasure."""

    name = "eReuse Workbench snapshot"

    def sniff(self, data: bytes) -> bool:
        return data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"{" and bool(_SNIFF.search(data))

    def parse(self, data: bytes) -> ErasureReport:
        snapshot = _load(data)
        software = _text(snapshot.get("software")) or _text(snapshot.get("snapshotSoftware")) or "Workbench"
        raw_version = _text(snapshot.get("version"))
        version = _printable(raw_version)[:40] if raw_version else None
        report = ErasureReport(tool=TOOL, tool_version=version)
        host_serial, host_notes = _host_serial(snapshot.get("device"))
        report.warnings.extend(host_notes)
        if snapshot.get("closed") is False:
            report.warnings.append(
                "Workbench had not closed this snapshot: it was saved before Workbench finished its work on this "
                "computer."
            )
        unknown: list[str] = []
        erasures = [*_found(snapshot, unknown)]
        if unknown:
            report.warnings.append(
                f"The snapshot also records {', '.join(sorted(set(unknown)))}, which the importer does not read; "
                "those records were left out."
            )
        for erasure in erasures:
            report.drives.append(_decide(erasure, version, host_serial))
        if not report.drives:
            raise ErasureReportError(_why_none(software, snapshot, unknown))
        return report


# Finding the erasures -------------------------------------------------------------------------------------------


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


def _kind(value: dict[str, Any]) -> str | None:
    """A component's or action's type, in either layout (`type`, or `@type` with an optional `devices:`)."""
    raw = value.get("type")
    if not isinstance(raw, str):
        raw = value.get("@type")
    if not isinstance(raw, str):
        return None
    return raw.strip().removeprefix("devices:")


def _storage(snapshot: dict[str, Any]) -> list[dict[str, Any]]:
    """The snapshot's data-storage components (and the snapshot's device, when it is a drive itself)."""
    components = snapshot.get("components")
    found = [c for c in components if isinstance(c, dict)] if isinstance(components, list) else []
    device = snapshot.get("device")
    if isinstance(device, dict):
        found.append(device)
    return [c for c in found if _kind(c) in _DRIVE_TYPES]


def _found(snapshot: dict[str, Any], unknown: list[str]) -> list[_Erasure]:
    erasures = []
    for number, drive in enumerate(_storage(snapshot), start=1):
        label = _drive_label(drive, number)
        legacy_record = drive.get("erasure")
        if isinstance(legacy_record, dict):
            erasures.append(_legacy(legacy_record, drive, label))
        for action in _actions(drive):
            kind = _kind(action)
            if kind in _ERASURES:
                erasures.append(_current(action, kind, drive, label))
            elif kind is not None and kind.startswith("Erase"):
                unknown.append(_printable(kind)[:40])
    return erasures


def _actions(drive: dict[str, Any]) -> list[dict[str, Any]]:
    actions = drive.get("actions")
    if not isinstance(actions, list):
        actions = drive.get("events")  # Workbench 11.0a called them events
    if not isinstance(actions, list):
        return []
    return [action for action in actions if isinstance(action, dict)]


def _drive_label(drive: dict[str, Any], number: int) -> str:
    serial = clean_identifier(_text(drive.get("serialNumber"))).value
    model, _ = clean_text(_text(drive.get("model")))
    if serial:
        return f"drive {serial}"
    if model:
        return f"drive {model[:60]} (no serial)"
    return f"storage component {number} (no serial or model)"


def _current(action: dict[str, Any], kind: str, drive: dict[str, Any], label: str) -> _Erasure:
    """Workbench 11 and later: an action in the drive's `actions` (or `events`)."""
    erasure = _Erasure(kind=kind, drive=drive, label=label, legacy=False)
    erasure.start = _moment(_first(action, "startTime", "start_time"), erasure)
    erasure.end = _moment(_first(action, "endTime", "end_time"), erasure)
    raw_steps = action.get("steps")
    erasure.steps_given = isinstance(raw_steps, list) and bool(raw_steps)
    for step in raw_steps if isinstance(raw_steps, list) else []:
        if isinstance(step, dict):
            erasure.steps.append(
                _Step(
                    kind=_kind(step),
                    start=_moment(_first(step, "startTime", "start_time"), erasure),
                    end=_moment(_first(step, "endTime", "end_time"), erasure),
                    failed=_flag_failed(step.get("error")) or step.get("success") is False,
                    severity=_severity(step.get("severity"), erasure),
                )
            )
    erasure.severities = [_severity(action.get("severity"), erasure), *(s.severity for s in erasure.steps)]
    error = action.get("error")
    erasure.failed_flag = _flag_failed(error) or action.get("success") is False
    erasure.detail = _text(action.get("description")) or (error.strip() if isinstance(error, str) else None)
    erasure.physical_method = _text(action.get("method"))
    return erasure


def _legacy(record: dict[str, Any], drive: dict[str, Any], label: str) -> _Erasure:
    """2016 to 2018: the drive's `erasure` object, with `success` flags and times without a zone."""
    kind = _kind(record) or "EraseBasic"
    erasure = _Erasure(kind=kind, drive=drive, label=label, legacy=True)
    if kind not in ("EraseBasic", "EraseSectors"):
        erasure.notes.append(
            f"The snapshot's erasure has the type {describe(kind[:40])}, which Workbench of this age did not "
            "write; it was read as an overwrite."
        )
        erasure.kind = "EraseBasic"
    erasure.start = _moment(_first(record, "startingTime", "startTime"), erasure)
    erasure.end = _moment(_first(record, "endingTime", "endTime"), erasure)
    raw_steps = record.get("steps")
    erasure.steps_given = isinstance(raw_steps, list) and bool(raw_steps)
    for step in raw_steps if isinstance(raw_steps, list) else []:
        if isinstance(step, dict):
            step_kind = _kind(step)
            erasure.steps.append(
                _Step(
                    kind=step_kind,
                    start=_moment(_first(step, "startingTime", "startTime"), erasure),
                    end=_moment(_first(step, "endingTime", "endTime"), erasure),
                    failed=step.get("success") is False or _flag_failed(step.get("error")),
                    severity=None,
                )
            )
    erasure.failed_flag = record.get("success") is False or _flag_failed(record.get("error"))
    if record.get("success") is None and "success" not in record:
        erasure.notes.append("The snapshot's erasure does not say whether it succeeded (no success flag).")
    return erasure


# Deciding -------------------------------------------------------------------------------------------------------


def _decide(erasure: _Erasure, version: str | None, host: str | None) -> DriveErasure:
    technique = _TECHNIQUE[erasure.kind]
    verification, verification_notes = _verification(erasure)
    result, error, result_notes = _result(erasure, technique)
    if result == "erased" and verification == "none":
        result = "erased_unverified"
    drive = erasure.drive
    serial = clean_identifier(_text(drive.get("serialNumber")))
    model, model_damaged = clean_text(_text(drive.get("model")))
    size, size_notes = _size_bytes(drive.get("size"))
    method = erasure.kind
    if erasure.kind == "ErasePhysical" and erasure.physical_method:
        method = f"ErasePhysical ({_printable(erasure.physical_method)[:60]})"
    row = DriveErasure(
        tool=TOOL,
        tool_version=version,
        device_serial=host,
        drive_model=model,
        drive_serial=serial.value,
        size_bytes=size,
        media_type=_media_type(erasure),
        method=method,
        passes=len(erasure.steps) if technique == "overwrite" else None,
        technique=technique,
        nist_level=NIST_LEVEL_BY_TECHNIQUE[technique],
        verification=verification,
        result=result,
        started_at=erasure.start or (erasure.steps[0].start if erasure.steps else None),
        finished_at=_finished(erasure) if result not in ("incomplete",) else None,
        error=error,
    )
    if serial.problem:
        row.warnings.append(f"{NO_SERIAL_PREFIX}: the drive's serial was left out because {serial.problem}.")
    if model_damaged:
        row.warnings.append("The drive model in the snapshot is damaged (not text), so it was left out.")
    row.warnings.extend([*erasure.notes, *verification_notes, *result_notes, *size_notes])
    row.warnings = list(dict.fromkeys(row.warnings))
    return row


def _finished(erasure: _Erasure) -> datetime | None:
    if erasure.end is not None:
        return erasure.end
    return erasure.steps[-1].end if erasure.steps else None


def _verification(erasure: _Erasure) -> tuple[str, list[str]]:
    """EraseSectors' random steps are badblocks write-and-read passes; everything else is written blind."""
    if erasure.kind != "EraseSectors" or not erasure.steps:
        return "none", []
    read_back = [step.kind in _RANDOM_STEPS for step in erasure.steps]
    if all(read_back):
        return "all", []
    if read_back[-1]:
        return "last", []
    if any(read_back):
        return "none", [
            "Earlier passes were read back by badblocks, but the final zero pass was not verified."
        ]
    return "none", []


def _result(erasure: _Erasure, technique: str) -> tuple[str, str | None, list[str]]:
    severities = [s for s in erasure.severities if s is not None]
    failed = erasure.failed_flag or "Error" in severities or any(step.failed for step in erasure.steps)
    if failed:
        why = "Workbench recorded the erasure as failed"
        if "Error" in severities:
            why += " (severity Error)"
        elif erasure.legacy:
            why += " (success false)"
        detail = erasure.detail
        return "failed", _printable(why + (f": {detail}" if detail else ""))[:1000], []
    notes = (
        ["Workbench gave this erasure a Warning severity; check the snapshot."]
        if "Warning" in severities
        else []
    )
    ended = _finished(erasure)
    if ended is None and technique != "physical_destruction":
        # Workbench stops an erasure's timer only when it finished, and records a failure as one: an erasure
        # that did not fail yet has no end is not something Workbench writes, so nothing here can be trusted.
        what = (
            "has erasure steps but no end time"
            if erasure.steps_given
            else "has no erasure steps and no end time"
        )
        raise ErasureReportError(
            f"the {erasure.kind} of {erasure.label} {what}, so it cannot be told whether the erasure finished; "
            "nothing was imported from this snapshot (export it again from Workbench or DeviceHub, or record the "
            "erasure by hand)"
        )
    if technique == "overwrite" and not erasure.steps:
        return "incomplete", "the snapshot records no erasure passes", notes
    return "erased", None, notes


def _flag_failed(value: Any) -> bool:
    return value is True or (
        isinstance(value, str) and bool(value.strip()) and value.strip().lower() != "false"
    )


def _severity(raw: Any, erasure: _Erasure) -> str | None:
    if raw is None:
        return None
    known = _SEVERITIES.get(raw.strip().lower()) if isinstance(raw, str) else None
    if known is None:
        erasure.notes.append(
            f"The snapshot gives a severity the importer does not know ({describe(str(raw)[:40])}), so it cannot "
            "tell whether Workbench saw a problem; check the snapshot."
        )
    return known


def _first(value: dict[str, Any], *keys: str) -> Any:
    for key in keys:
        if value.get(key) is not None:
            return value[key]
    return None


def _moment(raw: Any, erasure: _Erasure) -> datetime | None:
    if raw is None:
        return None
    text = _text(raw)
    try:
        moment = datetime.fromisoformat(text or "")
    except ValueError:
        erasure.notes.append(f"The snapshot has a time the importer cannot read ({describe(str(raw)[:40])}).")
        return None
    if moment.utcoffset() is None:
        erasure.notes.append("The snapshot gives a time with no time zone; it was read as UTC.")
        moment = moment.replace(tzinfo=UTC)
    return moment


def _size_bytes(raw: Any) -> tuple[int | None, list[str]]:
    """A size with a unit ("160042.0 MB", "250 GB") is exact; a bare number is not (see the module docstring)."""
    if raw is None or isinstance(raw, bool):
        return None, []
    if isinstance(raw, int | float):
        if not 0 < raw < 10**12:
            return None, []
        megabytes, mebibytes = raw * 10**6 / 10**9, raw * 2**20 / 10**9
        return None, [
            f"{SIZE_NOTE_PREFIX}: the snapshot gives the drive's size as {raw!r} with no unit, and Workbench "
            f"versions wrote that in MB or in MiB, so it is {megabytes:,.1f} GB or {mebibytes:,.1f} GB."
        ]
    match = _SIZE.match(raw) if isinstance(raw, str) else None
    unit = _UNIT.get(match[2].lower()) if match else None
    if match is None or unit is None:
        return None, [f"{SIZE_NOTE_PREFIX}: the snapshot's size {describe(str(raw)[:40])} cannot be read."]
    size = round(float(match[1]) * unit)
    return (size, []) if 0 < size < 10**18 else (None, [])


def _media_type(erasure: _Erasure) -> str | None:
    interface = (_text(erasure.drive.get("interface")) or "").lower()
    if "nvme" in interface:
        return "nvme"
    if erasure.legacy:
        return None  # Workbench of that age called every drive, spinning or solid state, a HardDrive
    return {"SolidStateDrive": "ssd", "HardDrive": "hdd"}.get(_kind(erasure.drive) or "")


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


def _why_none(software: str, snapshot: dict[str, Any], unknown: list[str]) -> str:
    if unknown:
        return (
            f"this eReuse snapshot records only erasures of a kind the importer does not read "
            f"({', '.join(sorted(set(unknown)))}); record the erasure by hand"
        )
    if "erase" in snapshot or "data" in snapshot or "hwmd" in snapshot:
        return (
            f"this eReuse {_printable(software)[:40]} snapshot carries raw hardware data but no erasure results; "
            "import it as a hardware report, and the erasure from the eraser's own log"
        )
    return (
        "this eReuse Workbench snapshot has no erasure results (no EraseBasic, EraseSectors, EraseCrypto or "
        "ErasePhysical on any drive, and no erasure object); import it as a hardware report instead"
    )
