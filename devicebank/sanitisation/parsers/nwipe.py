"""nwipe and ShredOS logs, from the 2016 format to the current one.

What the log looks like across versions (wording learnt from nwipe's src/logging.c, method.c, nwipe.c, device.c
and hpa_dco.c; ShredOS only runs nwipe and copies its log to the USB stick as nwipe_log_YYYYMMDD-HHMMSS.txt):

- Up to about 0.25: `[2016/06/14 09:12:01] nwipe: notice: Invoking method 'DoD Short' on device '/dev/sda'.`
  No summary table; a run ends with "Nwipe exited." and an interrupted run just stops.
- 0.26 to 0.27: level labels without the "nwipe:" prefix; "Nwipe successfully exited." when nothing failed.
- 0.28 onwards: `[2023/09/14 08:02:11]  notice: Invoking method 'Fill With Zeros' on /dev/sda`, an "Error Summary"
  and a "Drive Status" table (`Device | Status | Thru-put | HH:MM:SS | Model/Serial Number`, statuses " Erased ",
  "-FAILED-", "UABORTED", "INSANITY"), a `Total Throughput` line naming the method, rounds, blanking and
  verification (`1R+B+VL`), and a last line saying how the run ended.
- 0.32 onwards: SMBIOS lines (`system-serial-number = ...`); 0.35 onwards: HPA/DCO lines and "-SSD" device types.

When nwipe exits it cancels every wipe thread it started, finished or not, and logs it: "Cancelling thread for
/dev/sda" (the signal handler up to 0.25), "Requesting wipe thread cancellation for /dev/sda" and "Wipe thread for
device /dev/sda has been cancelled" (0.26 to about 0.32; from 0.29 some only with --verbose, and later "... has
terminated"). Those lines say nothing about a drive that had already finished; for one that had not, they mean the
operator stopped the wipe, so it is `cancelled`, not `incomplete`.

nwipe appends to its log file, so one file can hold several runs; each run is read on its own and every drive of
every run becomes one `DriveErasure`, in file order.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Final

from devicebank.sanitisation.parsers.plausibility import NO_SERIAL_PREFIX
from devicebank.sanitisation.parsers.report import (
    NIST_LEVEL_BY_TECHNIQUE,
    DriveErasure,
    ErasureReport,
    ErasureReportError,
)
from devicebank.sanitisation.parsers.text import clean_identifier, clean_text, decode, describe

TOOL: Final = "nwipe"
TIMEZONE_WARNING: Final = (
    "nwipe logs the wiping machine's local time with no time zone; the times here assume UTC, so they are off "
    "by that machine's UTC offset if it was not set to UTC."
)
_MAX_LINE: Final = 2000  # nwipe's own lines are at most 512 characters; longer ones are not nwipe's

_SNIFF: Final = re.compile(
    rb"^\[\d{4}/\d{1,2}/\d{1,2} \d{1,2}:\d{2}:\d{2}\]\s+(?:nwipe: )?(?:debug|info|notice|warning|error|fatal|sanity):"
    rb"|Device \| Status \| Thru-put \| HH:MM:SS \| Model/Serial Number",
    re.MULTILINE,
)
_TS: Final = r"\[(?P<ts>\d{4}/\d{1,2}/\d{1,2} \d{1,2}:\d{1,2}:\d{1,2})\]"
_LOG_LINE: Final = re.compile(
    rf"^{_TS}\s+(?:nwipe: )?(?P<level>debug|info|notice|warning|error|fatal|sanity|level \d+):\s?(?P<msg>.*)$"
)
_THROUGHPUT: Final = re.compile(
    rf"^{_TS} Total Throughput\s+(?P<rate>[^,]*), (?P<method>.*), (?P<rounds>\d{{1,6}})R\+(?P<blank>N?B)\+(?P<verify>NV|VL|VA)"
)
_ERROR_ROW: Final = re.compile(
    r"^(?P<flag>!)?\s*(?P<dev>\S+) \|\s*(?P<p>\d{1,15}) \|\s*(?P<v>\d{1,15}) \|\s*(?P<s>\d{1,15})\s*$"
)
_STATUS_ROW: Final = re.compile(
    r"^(?P<flag>!)?\s*(?P<dev>\S+) \|(?P<status>[^|]{1,12})\|(?P<rate>[^|]*)\|\s*(?P<h>\d{1,6}):(?P<m>\d\d):(?P<s>\d\d)\s*"
    r"\|\s?(?P<ms>.*)$"
)
_DEV: Final = r"(?:device )?'?(?P<dev>/[^\s']+?)'?\.?"
_VERIFY_OPTION: Final = {
    "off": "none",
    "last pass": "last",
    "all passes": "all",
    "NV": "none",
    "VL": "last",
    "VA": "all",
}
_STATUS: Final = {"Erased": "erased", "-FAILED-": "failed", "UABORTED": "cancelled", "INSANITY": "insanity"}
_FINAL: Final = re.compile(
    r"^(?:Nwipe successfully completed|Nwipe exited with errors, check|Nwipe was aborted by the user"
    r"|Nwipe successfully exited|Nwipe exited\.$)"
)
_ACTIVITY: Final = re.compile(
    r"^(?:\[(?:SUCCESS|FAILURE)\] |Invoking method|Starting (?:round|pass)|\d+ bytes (?:written|read)|Verif"
    r"|Finished|Blank|Wr(?:ote|iting) final|/\S+: \d|Attempting|Starting \w+ (?:Secure|Sanitize))"
)

# Method label (lower case, single spaces) -> (overwrite passes per round before the final blank, technique).
# Techniques that depend on the bus are resolved per drive in `_technique`.
_METHODS: Final[dict[str, tuple[int | None, str]]] = {
    "quick erase": (0, "overwrite"),  # before 0.28 the zero method was only the final blanking pass
    "zero fill": (1, "overwrite"),
    "fill with zeros": (1, "overwrite"),
    "fill with ones": (1, "overwrite"),
    "one fill": (1, "overwrite"),
    "dod short": (3, "overwrite"),
    "dod 5220.22-m": (7, "overwrite"),
    "gutmann wipe": (35, "overwrite"),
    "rcmp tssit ops-ii": (8, "overwrite"),
    "prng stream": (1, "overwrite"),
    "hmg is5 enhanced": (3, "overwrite"),
    "bruce schneier 7-pass": (7, "overwrite"),
    "bmb21-2019": (None, "overwrite"),
    "verify zeros (0x00)": (0, "verify_only"),
    "verify ones (0xff)": (0, "verify_only"),
    "verify only": (0, "verify_only"),
    "secure erase (ata/nvme)": (None, "secure_erase"),
    "secure erase + prng + verify": (1, "secure_erase"),
    "sanitize crypto erase (ata/scsi/nvme)": (None, "crypto_erase"),
    "sanitize block erase (ata/scsi/nvme)": (None, "sanitize"),
    "sanitize overwrite (ata/scsi/nvme)": (None, "sanitize"),
}
_NO_FINAL_BLANK: Final = ("rcmp tssit ops-ii",)


@dataclass
class _Drive:
    """What one run's lines say about one drive, gathered before deciding anything."""

    path: str
    selected: bool = False
    type_text: str | None = None
    model: str | None = None
    serials: list[str] = field(default_factory=list)
    size_bytes: int | None = None
    size_text_bytes: int | None = None
    bytes_moved: int = 0
    method: str | None = None
    pattern_passes: int | None = None
    rounds: int | None = None
    bus: str | None = None
    started: datetime | None = None
    last_seen: datetime | None = None
    wiping_logged: bool = False
    cancelled_at: datetime | None = None
    cancel_logged: bool = False
    blanking: bool = False
    completed: bool = False
    verify_seen: bool = False
    verify_failed: bool = False
    error_counts: dict[str, int] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    table_status: str | None = None
    table_seconds: int | None = None
    table_model_serial: str | None = None
    table_errors: tuple[int, int, int] | None = None


@dataclass
class _Line:
    """One line of the file: a timestamped log message, or raw text (tables, continuations)."""

    text: str
    ts: datetime | None = None
    msg: str | None = None


@dataclass
class _Run:
    """One nwipe run: its options, host, end state and drives."""

    drives: dict[str, _Drive] = field(default_factory=dict)
    method: str | None = None
    rounds: int | None = None
    verify: str | None = None
    noblank: bool = False
    options_seen: bool = False
    interrupted: bool = False
    version: str | None = None
    dmi: dict[str, str] = field(default_factory=dict)
    end: str | None = None
    exit_in_progress: bool = False
    summary_ts: datetime | None = None
    table: str | None = None

    def drive(self, path: str) -> _Drive:
        key = path.rstrip("/").rsplit("/", 1)[-1]
        found = self.drives.get(key)
        if found is None:
            found = self.drives[key] = _Drive(path=path if path.startswith("/") else f"/dev/{path}")
        return found


class NwipeParser:
    """Reads nwipe and ShredOS logs: one `DriveErasure` per drive per run."""

    name = "nwipe log"

    def sniff(self, data: bytes) -> bool:
        return bool(_SNIFF.search(data[:1_000_000]))

    def parse(self, data: bytes) -> ErasureReport:
        lines = [_tokenise(raw) for raw in decode(data).split("\n")]
        runs = [_read_run(chunk) for chunk in _split_runs(lines)]
        report = ErasureReport(
            tool=TOOL, tool_version=next((run.version for run in runs if run.version), None)
        )
        for run in runs:
            report.drives.extend(_erasures(run))
        if not report.drives:
            raise ErasureReportError(_why_no_drives(runs))
        if any(drive.started_at or drive.finished_at for drive in report.drives):
            report.warnings.append(TIMEZONE_WARNING)
        if len(runs) > 1:
            report.warnings.append(
                f"This log holds {len(runs)} nwipe runs (nwipe appends to its log file); each drive of each run "
                "is listed separately, in the order they ran."
            )
        return report


# Reading lines -------------------------------------------------------------------------------------------------


def _tokenise(raw: str) -> _Line:
    text = raw.rstrip("\r")[:_MAX_LINE]
    match = _LOG_LINE.match(text)
    if match is None:
        return _Line(text=text, ts=_timestamp(text[1:20]) if text.startswith("[") else None)
    return _Line(text=text, ts=_timestamp(match["ts"]), msg=match["msg"])


def _timestamp(text: str) -> datetime | None:
    try:
        return datetime.strptime(text.strip("[] "), "%Y/%m/%d %H:%M:%S").replace(tzinfo=UTC)
    except ValueError:
        return None


def _split_runs(lines: list[_Line]) -> Iterator[list[_Line]]:
    """Cut the file into runs: after each run's last line, and before a second set of options in one run."""
    current: list[_Line] = []
    options_seen = False
    for line in lines:
        msg = line.msg or ""
        if msg.startswith("Program options are set as follows"):
            if options_seen:
                cut = _start_of_next_run(current)
                yield current[:cut]
                current = current[cut:]
            options_seen = True
        current.append(line)
        if _FINAL.match(msg):
            yield current
            current, options_seen = [], False
    if any(line.msg is not None or line.text.strip() for line in current):
        yield current


def _start_of_next_run(lines: list[_Line]) -> int:
    """Where a new run began that the previous one never finished: after the last sign of wiping."""
    for index in range(len(lines) - 1, -1, -1):
        if lines[index].msg is not None and _ACTIVITY.match(lines[index].msg or ""):
            return index + 1
    return len(lines)


def _read_run(lines: list[_Line]) -> _Run:
    run = _Run()
    for line in lines:
        if line.msg is None:
            _read_raw(run, line)
            continue
        for pattern, handler in _HANDLERS:
            match = pattern.match(line.msg)
            if match is not None:
                handler(run, line.ts, match)
                break
    return run


def _read_raw(run: _Run, line: _Line) -> None:
    text = line.text
    if "Error Summary" in text:
        run.table = "errors"
    elif "Drive Status" in text:
        run.table = "status"
    elif text.startswith("***"):
        run.table = None
    elif (match := _THROUGHPUT.match(text)) is not None:
        _on_throughput(run, line.ts, match)
    elif (match := _CONSOLE_CANCEL.match(text)) is not None:
        _seen(run.drive(match["dev"]), None).cancel_logged = True
    elif _CONSOLE_INTERRUPTED.match(text) is not None:
        run.interrupted = True
    elif run.table == "errors" and (match := _ERROR_ROW.match(text)) is not None:
        drive = run.drive(match["dev"])
        drive.selected = True
        drive.table_errors = (int(match["p"]), int(match["v"]), int(match["s"]))
    elif run.table == "status" and (match := _STATUS_ROW.match(text)) is not None:
        drive = run.drive(match["dev"])
        drive.selected = True
        drive.table_status = _STATUS.get(match["status"].strip(), match["status"].strip())
        drive.table_seconds = int(match["h"]) * 3600 + int(match["m"]) * 60 + int(match["s"])
        drive.table_model_serial = match["ms"]


_CONSOLE_CANCEL: Final = re.compile(r"^\s*Waiting for wipe thread to cancel for (?P<dev>/\S+?)\s*$")
_CONSOLE_INTERRUPTED: Final = re.compile(r"^\s*Program interrupted \(caught signal \d{1,3}\)")


def _on_throughput(run: _Run, ts: datetime | None, match: re.Match[str]) -> None:
    run.options_seen = True
    run.summary_ts = ts
    run.method = run.method or match["method"].strip()
    run.rounds = run.rounds or int(match["rounds"])
    run.verify = run.verify or _VERIFY_OPTION[match["verify"]]
    run.noblank = run.noblank or match["blank"] == "NB"


# Message handlers ----------------------------------------------------------------------------------------------

_Handler = Callable[[_Run, datetime | None, re.Match[str]], None]


def _seen(drive: _Drive, ts: datetime | None) -> _Drive:
    drive.selected = True
    if ts is not None:
        drive.last_seen = ts if drive.last_seen is None else max(drive.last_seen, ts)
    return drive


def _on_found(run: _Run, ts: datetime | None, match: re.Match[str]) -> None:
    drive = run.drive(match["dev"])
    drive.type_text = (match.groupdict().get("type") or "").strip() or drive.type_text
    drive.model = drive.model or match["model"]
    drive.serials.append(match["serial"])
    drive.size_text_bytes = _size_from_text(match["size"])


def _on_serial(run: _Run, ts: datetime | None, match: re.Match[str]) -> None:
    _seen(run.drive(match["dev"]), None).serials.append(match["serial"])


def _on_size(run: _Run, ts: datetime | None, match: re.Match[str]) -> None:
    drive = _seen(run.drive(match["dev"]), None)
    drive.size_bytes = int(match["bytes"]) or None
    if drive.size_bytes is None:
        drive.failures.append("nwipe found the drive's size to be 0 bytes, so it could not wipe it")


def _on_selected(run: _Run, ts: datetime | None, match: re.Match[str]) -> None:
    _seen(run.drive(match["dev"]), None)


def _on_hidden_area(run: _Run, ts: datetime | None, match: re.Match[str]) -> None:
    drive = run.drive(match["dev"])
    if match["what"] == "INDETERMINATE":
        note = (
            "nwipe could not tell whether this drive has a hidden area (HPA/DCO); if it has, the sectors in it "
            "were not wiped, so check with hdparm -N and --dco-identify."
        )
    else:
        note = (
            "nwipe found a hidden area (HPA/DCO) on this drive: sectors in it were not wiped. Reset the HPA/DCO "
            "and wipe again, or do not count this drive as sanitised."
        )
    drive.notes.append(note)


def _on_in_use(run: _Run, ts: datetime | None, match: re.Match[str]) -> None:
    run.drive(match["dev"]).notes.append(
        "nwipe reported this drive as in use (it may have been mounted) when the run started."
    )


def _on_cannot_use(run: _Run, ts: datetime | None, match: re.Match[str]) -> None:
    reason = _printable(match.string.strip().rstrip("."))
    _seen(run.drive(match["dev"]), ts).failures.append(f"nwipe could not use the drive ({reason})")


def _on_dmi(run: _Run, ts: datetime | None, match: re.Match[str]) -> None:
    run.dmi.setdefault(match["key"], match["value"])


def _on_options_start(run: _Run, ts: datetime | None, match: re.Match[str]) -> None:
    run.options_seen = True


def _on_option(run: _Run, ts: datetime | None, match: re.Match[str]) -> None:
    run.options_seen = True
    key, value = match["key"], match["value"].strip()
    if key == "method":
        run.method = value
    elif key == "rounds" and value.isdigit():
        run.rounds = int(value)
    elif key == "banner":
        version = re.search(r"(\d+\.\d+(?:\.\d+)?)", value)
        run.version = version[1] if version else run.version
    elif key == "verify":
        level = re.search(r"\((off|last pass|all passes)\)", value)
        run.verify = _VERIFY_OPTION[level[1]] if level else run.verify


def _on_noblank(run: _Run, ts: datetime | None, match: re.Match[str]) -> None:
    run.noblank = True


def _on_invoke(run: _Run, ts: datetime | None, match: re.Match[str]) -> None:
    drive = _seen(run.drive(match["dev"]), ts)
    drive.wiping_logged = True
    drive.method = match["method"]
    drive.started = drive.started or ts


def _on_round(run: _Run, ts: datetime | None, match: re.Match[str]) -> None:
    drive = _seen(run.drive(match["dev"]), ts)
    drive.wiping_logged = True
    drive.rounds = int(match["of"])
    drive.started = drive.started or ts


def _on_pass(run: _Run, ts: datetime | None, match: re.Match[str]) -> None:
    drive = _seen(run.drive(match["dev"]), ts)
    drive.wiping_logged = True
    drive.pattern_passes = max(drive.pattern_passes or 0, int(match["of"]))
    drive.rounds = int(match["rounds"])
    drive.started = drive.started or ts


def _on_bytes(run: _Run, ts: datetime | None, match: re.Match[str]) -> None:
    drive = _seen(run.drive(match["dev"]), ts)
    drive.bytes_moved = max(drive.bytes_moved, int(match["bytes"]))
    if match["way"] == "read":
        drive.verify_seen = True


def _on_verifying(run: _Run, ts: datetime | None, match: re.Match[str]) -> None:
    _seen(run.drive(match["dev"]), ts).verify_seen = True


def _on_blanking(run: _Run, ts: datetime | None, match: re.Match[str]) -> None:
    _seen(run.drive(match["dev"]), ts).blanking = True


def _on_completed(run: _Run, ts: datetime | None, match: re.Match[str]) -> None:
    drive = _seen(run.drive(match["dev"]), ts)
    drive.completed = True
    if match.groupdict().get("verified"):
        drive.verify_seen = True


def _on_final_round(run: _Run, ts: datetime | None, match: re.Match[str]) -> None:
    drive = _seen(run.drive(match["dev"]), ts)
    method = _method_key(drive.method or run.method)
    if match["round"] == match["of"] and run.noblank and method not in _NO_FINAL_BLANK:
        drive.completed = True  # without a blanking pass, the last round is the end of the method


def _on_failure(run: _Run, ts: datetime | None, match: re.Match[str]) -> None:
    drive = _seen(run.drive(match["dev"]), ts)
    what = match["what"]
    if "Verification errors" in what or "not been Zeroed" in what or "not full of ones" in what:
        drive.verify_failed = True
        drive.verify_seen = True
    else:
        drive.failures.append("nwipe says the drive may not be blanked")


def _on_error_count(run: _Run, ts: datetime | None, match: re.Match[str]) -> None:
    drive = _seen(run.drive(match["dev"]), ts)
    drive.error_counts[match["kind"]] = drive.error_counts.get(match["kind"], 0) + int(match["count"])


def _on_exited_with_errors(run: _Run, ts: datetime | None, match: re.Match[str]) -> None:
    drive = _seen(run.drive(match["dev"]), None)  # logged at exit, after the wipe itself ended
    drive.failures.append(f"nwipe exited with {match['kind'] or ''}errors on this drive".replace("  ", " "))


def _on_thread_failure(run: _Run, ts: datetime | None, match: re.Match[str]) -> None:
    _seen(run.drive(match["dev"]), ts).failures.append(f"the wipe thread failed ({_printable(match['why'])})")


def _on_firmware_start(run: _Run, ts: datetime | None, match: re.Match[str]) -> None:
    drive = _seen(run.drive(match["dev"]), ts)
    drive.bus = match["bus"].upper()
    drive.started = drive.started or ts


def _on_firmware_done(run: _Run, ts: datetime | None, match: re.Match[str]) -> None:
    drive = _seen(run.drive(match["dev"]), ts)
    if match["then"]:
        drive.verify_seen = True  # nwipe goes on to read the drive back (or overwrite and read it back)
    else:
        drive.completed = True


def _on_firmware_failed(run: _Run, ts: datetime | None, match: re.Match[str]) -> None:
    reason = _printable(match.string.strip().rstrip("."))
    _seen(run.drive(match["dev"]), ts).failures.append(f"the drive's erase command failed ({reason})")


def _on_skipped_verify(run: _Run, ts: datetime | None, match: re.Match[str]) -> None:
    _seen(run.drive(match["dev"]), ts).notes.append(
        f"nwipe skipped verifying a pass because of {match['count']} write errors."
    )


def _on_progress(run: _Run, ts: datetime | None, match: re.Match[str]) -> None:
    _seen(run.drive(match["dev"]), ts)


def _on_end(run: _Run, ts: datetime | None, match: re.Match[str]) -> None:
    text = match.string
    if text.startswith("Nwipe was aborted by the user prior"):
        run.end = "aborted_before_start"
    elif text.startswith("Nwipe was aborted"):
        run.end = "aborted"
    elif text.startswith("Nwipe exited with errors"):
        run.end = "errors"
    else:
        run.end = "finished"
    run.summary_ts = run.summary_ts or ts


def _on_exit_in_progress(run: _Run, ts: datetime | None, match: re.Match[str]) -> None:
    run.exit_in_progress = True


def _on_thread_cancelled(run: _Run, ts: datetime | None, match: re.Match[str]) -> None:
    # Not `_seen`: nwipe logs this at exit for finished drives too, which must keep their own finish time.
    drive = run.drive(match["dev"])
    drive.selected = True
    drive.cancel_logged = True
    drive.cancelled_at = drive.cancelled_at or ts


_HANDLERS: Final[tuple[tuple[re.Pattern[str], _Handler], ...]] = (
    (
        re.compile(
            r"^Found (?P<dev>/\S+), (?P<type>[^,]*), (?P<model>.*), (?P<size>[^,]*), S/N=(?P<serial>.*)$"
        ),
        _on_found,
    ),
    (
        re.compile(
            r'^Found drive model="(?P<model>.*)", device path="(?P<dev>[^"]+)", size="(?P<size>[^"]*)", '
            r'serial number="(?P<serial>.*)"$'
        ),
        _on_found,
    ),
    (re.compile(r"^(?:Device )?(?P<dev>/\S+) has serial number (?P<serial>.*)$"), _on_serial),
    (re.compile(r"^Device '(?P<dev>/[^']+)' is size (?P<bytes>\d{1,19})\.?$"), _on_size),
    (re.compile(r"^(?P<dev>/\S+), sect/blk/dev \d+/\d+/(?P<bytes>\d{1,19})$"), _on_size),
    (re.compile(r"^Device '(?P<dev>/[^']+)' has (?:sector|block) size"), _on_selected),
    (
        re.compile(
            rf"^(?:The host protected area is enabled on|HIDDEN AREA (?P<what>DETECTED|INDETERMINATE)! on) {_DEV}$"
        ),
        _on_hidden_area,
    ),
    (re.compile(r"^(?P<dev>/\S+) is reported as IN USE"), _on_in_use),
    (re.compile(r"^Unable to open device '(?P<dev>/[^']+)'"), _on_cannot_use),
    (re.compile(r"^No sane device geometry for '?(?P<dev>/[^\s']+?)'?\.?$"), _on_cannot_use),
    (re.compile(r"^'(?P<dev>/[^']+)' is not a block device"), _on_cannot_use),
    (re.compile(r"^Unable to determine the size of '(?P<dev>/[^']+)'"), _on_cannot_use),
    (re.compile(r"^(?P<key>system-serial-number) = (?P<value>.*)$"), _on_dmi),
    (re.compile(r"^Program options are set as follows"), _on_options_start),
    (re.compile(r"^\s+(?P<key>method|rounds|banner|verify)\s+=\s+(?P<value>.*)$"), _on_option),
    (re.compile(r"^\s+do not perform a final blank pass"), _on_noblank),
    (re.compile(rf"^Invoking method '(?P<method>.*)' on {_DEV}$"), _on_invoke),
    (re.compile(rf"^Starting round (?P<round>\d{{1,6}}) of (?P<of>\d{{1,6}}) on {_DEV}$"), _on_round),
    (
        re.compile(
            rf"^Starting pass (?P<pass>\d{{1,6}})(?:/| of )(?P<of>\d{{1,6}}), round \d+(?:/| of )(?P<rounds>\d{{1,6}}), on {_DEV}$"
        ),
        _on_pass,
    ),
    (re.compile(rf"^(?P<bytes>\d{{1,19}}) bytes (?P<way>written to|read from) {_DEV}$"), _on_bytes),
    (re.compile(rf"^\[FAILURE\] {_DEV} (?P<what>.*)$"), _on_failure),
    (re.compile(rf"^(?:\[SUCCESS\] )?Blanked device {_DEV}$"), _on_completed),
    (re.compile(rf"^Wrote final random pattern to {_DEV}$"), _on_completed),
    (re.compile(rf"^(?P<verified>\[SUCCESS\] )Verified FRP on {_DEV} matches$"), _on_completed),
    (
        re.compile(rf"^(?P<verified>\[SUCCESS\] )Verified that {_DEV} is (?:Zeroed|full of ones)"),
        _on_completed,
    ),
    (
        re.compile(
            rf"^(?:\[SUCCESS\] )?Verif(?:y|ied|ying)\w*\b.*?(?:on|that) {_DEV}(?: is \w+.*| matches)?$"
        ),
        _on_verifying,
    ),
    (re.compile(rf"^Blanking device {_DEV}$"), _on_blanking),
    (
        re.compile(rf"^Finished (?:final )?round (?P<round>\d{{1,6}}) of (?P<of>\d{{1,6}}) on {_DEV}$"),
        _on_final_round,
    ),
    (re.compile(rf"^Finished pass .* on {_DEV}$"), _on_progress),
    (re.compile(rf"^Writing final random pattern to {_DEV}$"), _on_progress),
    (
        re.compile(rf"^(?P<count>\d{{1,15}}) (?P<kind>verification|wipe|sync) errors on {_DEV}$"),
        _on_error_count,
    ),
    (
        re.compile(r"^Nwipe exited with (?P<kind>non fatal |fatal )?errors on device = (?P<dev>/[^\s,]+)"),
        _on_exited_with_errors,
    ),
    (re.compile(r"^(?P<dev>/\S+): (?:>>> FAILURE! <<<|Failure): (?P<why>.*)$"), _on_thread_failure),
    (re.compile(r"^Attempting (?P<bus>NVMe|ATA|SCSI) .* on (?P<dev>/\S+) \("), _on_firmware_start),
    (
        re.compile(
            r"^(?:(?:ATA|NVMe) Secure Erase completed successfully on|Sanitize (?:Crypto Erase|Block Erase|Overwrite) "
            rf"completed on|Secure erase completed for) {_DEV}(?P<then>, starting .*)?$"
        ),
        _on_firmware_done,
    ),
    (
        re.compile(
            r"^(?:Secure Erase could not be executed on|Sanitize (?:Crypto Erase|Block Erase|Overwrite) failed on"
            r"|(?:ATA|NVMe) Secure Erase: \S+ reported failure on) '?(?P<dev>/[^\s']+?)'?[.\s]"
        ),
        _on_firmware_failed,
    ),
    (
        re.compile(
            r"^Skipping verification of pass .* on (?P<dev>/\S+) due to (?P<count>\d{1,15}) pass errors"
        ),
        _on_skipped_verify,
    ),
    (re.compile(r"^(?P<dev>/\S+): \d+\.\d+%, round"), _on_progress),
    (_FINAL, _on_end),
    (re.compile(r"^Exit in progress"), _on_exit_in_progress),
    (
        re.compile(
            r"^(?:Cancelling thread for|Requesting wipe thread cancellation for|Wipe thread for device)"
            r" '?(?P<dev>/[^\s']+?)'?(?: has been cancelled)?\.?$"
        ),
        _on_thread_cancelled,
    ),
)


# Deciding ------------------------------------------------------------------------------------------------------


_STOPPED: Final = "the wipe was stopped by the user (or a signal) before it finished"
_THREAD_CANCELLED: Final = (
    "nwipe cancelled the wipe of this drive before it finished (the operator stopped nwipe, or it was sent a "
    "signal)"
)
_UABORTED_BUT_FINISHED: Final = (
    "nwipe's summary table says UABORTED, but the log shows this drive's wipe finishing: nwipe before 0.30 marked "
    "drives that had already finished as UABORTED when the operator pressed Ctrl+C to leave, so it is read as "
    "finished. Check the log before accepting it."
)


@dataclass
class _Outcome:
    result: str
    error: str | None = None
    notes: list[str] = field(default_factory=list)


def _erasures(run: _Run) -> list[DriveErasure]:
    host_serial, host_notes = _host_serial(run)
    erasures = []
    for drive in run.drives.values():
        if not drive.selected:
            continue  # found while scanning but never chosen for wiping
        erasure = _erasure(run, drive, host_serial)
        erasure.warnings[:0] = host_notes
        erasures.append(erasure)
    return erasures


def _erasure(run: _Run, drive: _Drive, host_serial: str | None) -> DriveErasure:
    method = drive.method or run.method
    technique = _technique(method, drive)
    outcome = _outcome(run, drive)
    verification, verification_notes = _verification(run, drive, technique, outcome.result)
    result = outcome.result
    if result == "erased" and verification == "none":
        result = "erased_unverified"
    model, model_damaged = clean_text(drive.model or _table_model(drive))
    serial, serial_notes = _drive_serial(drive)
    erasure = DriveErasure(
        tool=TOOL,
        tool_version=run.version,
        device_serial=host_serial,
        drive_model=model,
        drive_serial=serial,
        size_bytes=drive.size_bytes or drive.bytes_moved or drive.size_text_bytes,
        media_type=_media_type(drive, run),
        method=_printable(" ".join(method.split())) if method else None,
        passes=_passes(run, drive, method, technique),
        rounds=_rounds(run, drive, technique),
        final_overwrite=_final_overwrite(run, drive, method, technique),
        technique=technique,
        nist_level=NIST_LEVEL_BY_TECHNIQUE[technique],
        verification=verification,
        result=result,
        started_at=_started(run, drive),
        finished_at=_finished(run, drive, result),
        error=outcome.error,
        device_path=_printable(drive.path),
    )
    if model_damaged:
        erasure.warnings.append("The drive model in the log is damaged (not text), so it was left out.")
    erasure.warnings.extend([*serial_notes, *drive.notes, *outcome.notes, *verification_notes])
    if technique == "verify_only":
        erasure.warnings.append(
            "This run only read the drive back and checked it was blank; it did not overwrite it, so it proves "
            "the drive reads as blank, not that it was sanitised."
        )
    return erasure


def _outcome(run: _Run, drive: _Drive) -> _Outcome:
    failure = _failure_reason(drive)
    status = drive.table_status
    if status == "insanity":
        return _Outcome(
            "failed", failure or "nwipe reported the drive's state as INSANITY: it was never wiped"
        )
    if status in ("erased", "failed", "cancelled"):
        if status == "erased" and failure:
            return _Outcome(
                "failed", failure, ["nwipe's summary table says Erased, but the log records errors."]
            )
        if status == "failed":
            return _Outcome(
                "failed", failure or _table_error_text(drive) or "nwipe's summary table says FAILED"
            )
        if status == "cancelled":
            if drive.completed and not failure and not _version_at_least(run.version, (0, 30)):
                return _Outcome("erased", None, [_UABORTED_BUT_FINISHED])
            return _Outcome("cancelled", _STOPPED)
        return _Outcome("erased")
    notes = [] if status is None else [f"nwipe's summary table has an unknown status {describe(status)}."]
    if failure:
        return _Outcome("failed", failure, notes)
    if drive.completed:
        return _Outcome("erased", None, notes)
    if drive.cancel_logged:
        return _Outcome("cancelled", _THREAD_CANCELLED, notes)
    if run.end in ("aborted", "aborted_before_start") or run.exit_in_progress or run.interrupted:
        return _Outcome("cancelled", _STOPPED, notes)
    if run.end is None and run.summary_ts is None:
        notes.append(
            "The log ends before this drive's wipe finished: the log was cut short, or nwipe was killed or lost "
            "power."
        )
        return _Outcome("incomplete", "the log ends before the wipe finished", notes)
    notes.append("The run ended but the log never records this drive's wipe finishing.")
    return _Outcome("incomplete", "the log never records the wipe finishing", notes)


def _failure_reason(drive: _Drive) -> str | None:
    reasons: list[str] = []
    verify_errors = drive.error_counts.get("verification", 0)
    if drive.verify_failed or verify_errors:
        count = (
            f": {verify_errors} verification error{'s' if verify_errors != 1 else ''}"
            if verify_errors
            else ""
        )
        reasons.append(f"verification found data left on the drive{count}")
    for kind, label in (("wipe", "write"), ("sync", "sync")):
        if drive.error_counts.get(kind):
            reasons.append(
                f"{drive.error_counts[kind]} {label} error{'s' if drive.error_counts[kind] != 1 else ''}"
            )
    generic = [
        text for text in drive.failures if text.startswith("nwipe exited with") or "may not be" in text
    ]
    specific = [text for text in drive.failures if text not in generic]
    reasons.extend(dict.fromkeys(specific))
    if not reasons and generic:
        reasons.append(_table_error_text(drive) or generic[0])
    return "; ".join(reasons) if reasons else None


def _table_error_text(drive: _Drive) -> str | None:
    if drive.table_errors is None or not any(drive.table_errors):
        return None
    passes, verifies, syncs = drive.table_errors
    return f"nwipe counted {passes} pass, {verifies} verification and {syncs} sync errors"


def _verification(run: _Run, drive: _Drive, technique: str, result: str) -> tuple[str, list[str]]:
    if technique == "verify_only":
        return "all", []
    if technique in ("crypto_erase", "ata_sanitize", "scsi_sanitize", "nvme_sanitize"):
        return "none", []  # nwipe does not read the drive back after these commands
    option = run.verify
    if drive.verify_seen:
        return option if option in ("last", "all") else "last", []
    if option in (None, "none"):
        return "none", []
    if result == "erased" and drive.wiping_logged:
        return "none", [
            f"nwipe was set to verify ({option}), but the log shows no verification of this drive, so it "
            "counts as unverified."
        ]
    return option, []  # not reached yet, or only the summary table is left: nwipe's setting stands


def _technique(method: str | None, drive: _Drive) -> str:
    kind = _METHODS.get(_method_key(method), (None, "overwrite"))[1]
    bus = drive.bus or (drive.type_text or "").split("-")[0].strip().upper()
    if kind == "secure_erase":
        return "nvme_format" if bus == "NVME" else "ata_secure_erase"
    if kind == "sanitize":
        return {"NVME": "nvme_sanitize", "SCSI": "scsi_sanitize", "SAS": "scsi_sanitize"}.get(
            bus, "ata_sanitize"
        )
    return kind


def _method_key(method: str | None) -> str:
    return " ".join((method or "").lower().split())


def _passes(run: _Run, drive: _Drive, method: str | None, technique: str) -> int | None:
    """Passes as nwipe counts them: the method's passes per round times the rounds. nwipe logs the final
    blanking pass (or OPS-II's final random pattern) and the verification apart from the passes, and so do we."""
    if technique == "verify_only":
        return 0
    known = _METHODS.get(_method_key(method), (None, technique))[0]
    if technique != "overwrite":
        return known
    per_round = drive.pattern_passes if drive.pattern_passes is not None else known
    if per_round is None:
        return None
    return per_round * (drive.rounds or run.rounds or 1)


def _rounds(run: _Run, drive: _Drive, technique: str) -> int | None:
    if technique != "overwrite":
        return None
    return drive.rounds or run.rounds or 1


def _final_overwrite(run: _Run, drive: _Drive, method: str | None, technique: str) -> str | None:
    """nwipe ends every overwrite method with a zero blanking pass unless --noblank; OPS-II ends with a final
    random pattern instead (and ignores --noblank). None when the log cannot say (no options were logged)."""
    if technique != "overwrite":
        return None
    if _method_key(method) in _NO_FINAL_BLANK:
        return "random"
    if drive.blanking:
        return "blank"
    if run.noblank:
        return "none"
    return "blank" if run.options_seen else None


def _media_type(drive: _Drive, run: _Run) -> str | None:
    kind = (drive.type_text or "").upper()
    if "NVME" in kind or drive.bus == "NVME":
        return "nvme"
    if "-SSD" in kind:
        return "ssd"
    # From 0.35 nwipe marks every SSD with "-SSD", so an ATA or SAS drive without it is rotating.
    if _version_at_least(run.version, (0, 35)) and kind.strip() in ("ATA", "SAS"):
        return "hdd"
    return None


def _version_at_least(version: str | None, wanted: tuple[int, int]) -> bool:
    if not version:
        return False
    parts = tuple(int(part) for part in re.findall(r"\d{1,6}", version)[:2])
    return parts >= wanted


def _started(run: _Run, drive: _Drive) -> datetime | None:
    if drive.started is not None:
        return drive.started
    if run.summary_ts is not None and drive.table_seconds is not None:
        try:
            return run.summary_ts - timedelta(seconds=drive.table_seconds)
        except OverflowError:  # a damaged log: a duration reaching back before year 1
            return None
    return None


def _finished(run: _Run, drive: _Drive, result: str) -> datetime | None:
    if result == "incomplete":
        return None
    if result == "cancelled":
        return drive.cancelled_at or run.summary_ts or drive.last_seen
    return drive.last_seen or run.summary_ts


def _host_serial(run: _Run) -> tuple[str | None, list[str]]:
    raw = run.dmi.get("system-serial-number")
    if raw is None:
        return None, []
    cleaned = clean_identifier(raw)
    if cleaned.value is None:
        reason = cleaned.problem or "it is empty"
        return None, [f"No host serial: the machine's SMBIOS serial was left out because {reason}."]
    return cleaned.value, []


def _drive_serial(drive: _Drive) -> tuple[str | None, list[str]]:
    candidates = [*drive.serials]
    table_serial = _table_serial(drive)
    if table_serial is not None:
        candidates.append(table_serial)
    cleaned = [clean_identifier(raw) for raw in candidates]
    good = list(dict.fromkeys(item.value for item in cleaned if item.value))
    if len(good) > 1 and not all(
        other.startswith(good[0]) or good[0].startswith(other) for other in good[1:]
    ):
        return None, [
            f"{NO_SERIAL_PREFIX}: the log gives different serials for this drive ({', '.join(good)})."
        ]
    if good:
        return max(good, key=len), []
    problem = next((item.problem for item in cleaned if item.problem), None)
    if problem:
        return None, [f"{NO_SERIAL_PREFIX}: the serial nwipe logged was left out because {problem}."]
    return None, []


def _table_model(drive: _Drive) -> str | None:
    text = drive.table_model_serial
    if not text or "/" not in text:
        return text or None
    return text.split("/", 1)[0] or None


def _table_serial(drive: _Drive) -> str | None:
    text = drive.table_model_serial
    if not text or "/" not in text:
        return None
    if drive.model and text.startswith(drive.model[:17] + "/"):
        return text[len(drive.model[:17]) + 1 :]
    return text.split("/", 1)[1]


def _size_from_text(text: str) -> int | None:
    """nwipe's rounded decimal size ("500 GB", " 67 MB"), used only when no byte count is logged."""
    match = re.match(r"^\s*(\d{1,6}(?:\.\d{1,3})?)\s*([KMGTP])B\s*$", text)
    if match is None:
        return None
    multiplier: int = 10 ** (3 * " KMGTP".index(match[2]))
    return round(float(match[1]) * multiplier) or None


def _printable(text: str) -> str:
    """Log text safe to store and print: invalid bytes and control characters shown as \\xNN."""
    return describe(text)[1:-1]


def _why_no_drives(runs: list[_Run]) -> str:
    if any(run.end == "aborted_before_start" for run in runs):
        return "nwipe was cancelled before any wipe started, so this log records no erasure"
    if any(run.end is not None for run in runs):
        return "this nwipe log records no drive being wiped (none was selected, or nwipe found no drives)"
    return (
        "this nwipe log ends before any wipe began (nwipe was stopped, or the log was cut short), so it records "
        "no erasure"
    )
