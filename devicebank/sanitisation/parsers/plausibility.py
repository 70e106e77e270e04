"""Checks that flag an erasure record for a human instead of silently accepting it.

None of these changes a result: a record can be true and still odd (a clock reset by a flat CMOS battery makes a
wipe "finish" before it started). Each check adds one plain sentence to the drive's warnings, and the person
signing off the device decides.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Final

from devicebank.sanitisation.parsers.report import DriveErasure
from devicebank.sanitisation.parsers.text import describe, is_damaged, is_placeholder

MAX_PLAUSIBLE_DURATION: Final = timedelta(days=30)
# Faster than any drive sustains over a full overwrite: a PCIe 5 NVMe SSD writes about 10 GB/s at best, and
# an 8-pass wipe of a laptop HDD takes many hours. Above this, the times or the size in the record are wrong.
MAX_PLAUSIBLE_BYTES_PER_SECOND: Final = 10 * 10**9
# Log times are whole seconds, so a wipe logged as starting and finishing in the same second took up to one.
_CLOCK_RESOLUTION_SECONDS: Final = 1.0
# Techniques where the host moves every byte, so the time it took is bounded by how fast the drive can go.
# Firmware techniques (secure erase, sanitize, crypto erase) may legitimately finish in seconds.
_HOST_IO_TECHNIQUES: Final = ("overwrite", "verify_only")
_SUCCESSFUL: Final = ("erased", "erased_unverified")

NO_SERIAL_PREFIX: Final = "No drive serial"


def plausibility_warnings(erasure: DriveErasure) -> list[str]:
    """Warnings for anything implausible in one drive's erasure record; empty when nothing is odd.

    Flags: a start after the finish; a wipe longer than 30 days; a successful host overwrite faster than
    10 GB/s sustained over the bytes it must have written; a missing, placeholder or damaged drive serial.
    """
    warnings = _timing_warnings(erasure)
    warnings.extend(_serial_warnings(erasure))
    return warnings


def _timing_warnings(erasure: DriveErasure) -> list[str]:
    start, finish = erasure.started_at, erasure.finished_at
    if start is None or finish is None:
        return []
    if start > finish:
        return [
            f"Start after finish: the record says this erasure started at {start.isoformat()} but finished "
            f"at {finish.isoformat()}; the machine's clock was probably wrong, so check the dates."
        ]
    duration = finish - start
    if duration > MAX_PLAUSIBLE_DURATION:
        return [
            f"Implausibly long: the record says this erasure took {_human_duration(duration)} (more than 30 days); "
            "the machine's clock was probably changed during the wipe, so check the dates."
        ]
    written = _bytes_moved(erasure)
    if written is None or erasure.result not in _SUCCESSFUL or erasure.technique not in _HOST_IO_TECHNIQUES:
        return []
    seconds = max(duration.total_seconds(), _CLOCK_RESOLUTION_SECONDS)
    rate = written / seconds
    if rate <= MAX_PLAUSIBLE_BYTES_PER_SECOND:
        return []
    return [
        f"Implausibly fast: {_human_bytes(written)} overwritten in {_human_duration(duration)} is "
        f"{rate / 10**9:,.0f} GB/s, faster than any drive writes; the size, the times or the record itself is "
        "wrong, so check it before accepting this erasure."
    ]


def _bytes_moved(erasure: DriveErasure) -> int | None:
    """The least the tool must have written (or read, for a verify-only run) to do what the record says."""
    if not erasure.size_bytes or erasure.size_bytes <= 0:
        return None
    if erasure.technique == "verify_only":
        return erasure.size_bytes
    final = 1 if erasure.final_overwrite in ("blank", "random") else 0
    return erasure.size_bytes * max((erasure.passes or 0) + final, 1)


def _serial_warnings(erasure: DriveErasure) -> list[str]:
    serial = erasure.drive_serial
    if serial is None:
        if any(warning.startswith(NO_SERIAL_PREFIX) for warning in erasure.warnings):
            return []  # the parser already said why
        return [
            f"{NO_SERIAL_PREFIX}: the report does not give one, so this erasure cannot be matched to a drive by "
            "its serial; match it by model and size, or check the drive by hand."
        ]
    if is_damaged(serial):
        return [f"Damaged drive serial {describe(serial)}: check the drive's label before matching it."]
    if is_placeholder(serial):
        return [
            f"Placeholder drive serial {describe(serial)}: firmware or the tool filled it in, so it does not "
            "identify the drive; check the drive's label."
        ]
    return []


def _human_bytes(count: int) -> str:
    for unit, size in (("TB", 10**12), ("GB", 10**9), ("MB", 10**6), ("kB", 10**3)):
        if count >= size:
            return f"{count / size:,.1f} {unit}"
    return f"{count} bytes"


def _human_duration(duration: timedelta) -> str:
    seconds = int(duration.total_seconds())
    if seconds >= 2 * 86400:
        return f"{seconds / 86400:,.0f} days"
    if seconds >= 3600:
        return f"{seconds // 3600} h {seconds % 3600 // 60} min"
    if seconds >= 60:
        return f"{seconds // 60} min {seconds % 60} s"
    return f"{seconds} s"
