"""What a parsed erasure report looks like, and the JSON shape `devicebank import-erasure --json` prints.

One `DriveErasure` per drive per run. `DriveErasure.to_json` and `error_json` share one key list (`JSON_KEYS`), so a
file that parsed and a file that failed look the same to a client: every key is always present, `null` when unknown.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Final

RESULTS: Final = ("erased", "erased_unverified", "failed", "cancelled", "incomplete")
VERIFICATIONS: Final = ("none", "last", "all")
# The pass a method writes after its own passes, kept apart from `passes` because the tool keeps it apart:
# "blank" is nwipe's final zero (blanking) pass, "random" the final random pattern RCMP TSSIT OPS-II writes
# instead, "none" a run set not to blank (--noblank). None when the report does not say or it does not apply.
FINAL_OVERWRITES: Final = ("blank", "random", "none")
MEDIA_TYPES: Final = ("hdd", "ssd", "nvme")
NIST_LEVELS: Final = ("clear", "purge", "destroy")
# How the data was removed. The NIST SP 800-88 level each one reaches is in `NIST_LEVEL_BY_TECHNIQUE`.
TECHNIQUES: Final = (
    "overwrite",  # the host wrote patterns over every user-addressable sector (nwipe, shred, badblocks)
    "ata_secure_erase",  # ATA SECURITY ERASE UNIT (hdparm --security-erase)
    "ata_sanitize",  # ATA SANITIZE block erase or overwrite
    "scsi_sanitize",  # SCSI SANITIZE block erase or overwrite (sg_sanitize)
    "nvme_format",  # NVMe Format NVM with Secure Erase Settings (nvme format -s1)
    "nvme_sanitize",  # NVMe Sanitize block erase or overwrite
    "crypto_erase",  # the drive discarded its media encryption key (any bus)
    "verify_only",  # nothing was written: the tool only read the drive back and checked it was blank
    "physical_destruction",
)
NIST_LEVEL_BY_TECHNIQUE: Final[dict[str, str | None]] = {
    "overwrite": "clear",
    "ata_secure_erase": "purge",
    "ata_sanitize": "purge",
    "scsi_sanitize": "purge",
    "nvme_format": "purge",
    "nvme_sanitize": "purge",
    "crypto_erase": "purge",
    "verify_only": None,
    "physical_destruction": "destroy",
}

JSON_KEYS: Final = (
    "file",
    "tool",
    "tool_version",
    "device_serial",
    "device_path",
    "drive_model",
    "drive_serial",
    "size_bytes",
    "media_type",
    "method",
    "passes",
    "rounds",
    "final_overwrite",
    "technique",
    "nist_level",
    "verification",
    "result",
    "started_at",
    "finished_at",
    "warnings",
    "error",
)


class ErasureReportError(Exception):
    """The file is not an erasure report this package can read; the message says why, in plain words.

    The message never names the file: the caller prefixes it ("laptop-42.log: the file is empty").
    """


@dataclass
class DriveErasure:
    """What one run of an erasure tool did to one drive.

    Every field is None when the report does not say; a value is never guessed. Anything odd or missing is
    explained in `warnings`, one plain sentence each.

    Attributes:
        tool: The tool that wrote the report ("nwipe", "eReuse Workbench").
        tool_version: Its version when the report says ("0.33", "11.0b11").
        device_serial: The host machine's serial (SMBIOS system serial) when the report has it.
        drive_model: The drive's model as the tool reports it.
        drive_serial: The drive's serial; None when missing, a placeholder, or damaged (a warning says which).
        size_bytes: Capacity in bytes (exact when the tool logs a byte count, see docs/erasure-reports.md).
        media_type: "hdd", "ssd", "nvme", or None when the report does not say.
        method: The method's name as the tool calls it ("DoD Short", "Fill With Zeros", "EraseSectors").
        passes: Full-drive overwrite passes as the tool counts them: nwipe's method passes x rounds (the final
            blanking pass and verification are not passes), Workbench's steps; None for firmware commands and
            physical destruction, 0 for a verify-only run.
        technique: One of `TECHNIQUES`.
        nist_level: "clear", "purge" or "destroy" (NIST SP 800-88) when the technique reaches one, else None.
        verification: "none", "last" (the final pass was read back) or "all" (every pass was read back).
        result: "erased", "erased_unverified", "failed", "cancelled" or "incomplete".
        started_at: When the erasure of this drive started, timezone-aware.
        finished_at: When it ended (finished, failed or was cancelled); None when the report never says.
        warnings: Plain sentences for a human to check.
        error: Why the erasure failed, was cancelled or is incomplete; None when it succeeded.
        device_path: Where the tool found the drive ("/dev/sda"), to tell drives in one report apart.
        rounds: How many times the method was repeated (nwipe's rounds); None when the tool has no rounds.
        final_overwrite: "blank", "random" or "none" (see `FINAL_OVERWRITES`); None when not stated or not applicable.
    """

    tool: str
    tool_version: str | None
    device_serial: str | None
    drive_model: str | None
    drive_serial: str | None
    size_bytes: int | None
    media_type: str | None
    method: str | None
    passes: int | None
    technique: str
    nist_level: str | None
    verification: str
    result: str
    started_at: datetime | None
    finished_at: datetime | None
    warnings: list[str] = field(default_factory=list)
    error: str | None = None
    device_path: str | None = None
    rounds: int | None = None
    final_overwrite: str | None = None

    def to_json(self, file: str) -> dict[str, Any]:
        """The `--json` / API shape: exactly `JSON_KEYS`, times as ISO 8601 with their offset."""
        return {
            "file": file,
            "tool": self.tool,
            "tool_version": self.tool_version,
            "device_serial": self.device_serial,
            "device_path": self.device_path,
            "drive_model": self.drive_model,
            "drive_serial": self.drive_serial,
            "size_bytes": self.size_bytes,
            "media_type": self.media_type,
            "method": self.method,
            "passes": self.passes,
            "rounds": self.rounds,
            "final_overwrite": self.final_overwrite,
            "technique": self.technique,
            "nist_level": self.nist_level,
            "verification": self.verification,
            "result": self.result,
            "started_at": self.started_at.isoformat() if self.started_at else None,
            "finished_at": self.finished_at.isoformat() if self.finished_at else None,
            "warnings": list(self.warnings),
            "error": self.error,
        }


@dataclass
class ErasureReport:
    """Everything one file says: the tool, and one `DriveErasure` per drive per run, in the file's order.

    Attributes:
        tool: The tool that wrote the file.
        tool_version: Its version when the file says.
        drives: One entry per drive per run; never empty once `parse_erasure_report` returns.
        warnings: Notes about the file as a whole. `parse_erasure_report` also copies them into every drive's
            warnings, so one JSON row per drive is complete on its own.
    """

    tool: str
    tool_version: str | None
    drives: list[DriveErasure] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def error_json(file: str, message: str) -> dict[str, Any]:
    """The `--json` / API shape for a file that could not be read: every key present, all empty, `error` set."""
    result: dict[str, Any] = dict.fromkeys(JSON_KEYS)
    result.update(file=file, warnings=[], error=message)
    return result
