"""The one entry point: bytes in, `HardwareReport` out, or `HardwareReportError` with a reason."""

from __future__ import annotations

import logging

from devicebank.hardware.parsers.dmidecode import parse_dmidecode
from devicebank.hardware.parsers.draft import ReportDraft
from devicebank.hardware.parsers.ereuse import parse_ereuse
from devicebank.hardware.parsers.jsontext import load_json
from devicebank.hardware.parsers.lshw import parse_lshw
from devicebank.hardware.parsers.report import HardwareReport, HardwareReportError
from devicebank.hardware.parsers.smartctl import parse_smartctl
from devicebank.hardware.parsers.sniff import Sniffed, sniff

logger = logging.getLogger(__name__)


def parse_hardware_report(data: bytes, *, filename: str) -> HardwareReport:
    """Read a hardware report, whatever its format (decided from the content, never from `filename`).

    Args:
        data: The file's bytes (at most 20 MB).
        filename: The uploaded name; used only to log unexpected failures.

    Returns:
        The report, with a warning for anything missing, odd, or left out.

    Raises:
        HardwareReportError: The file is not a readable report. Nothing else is raised: an unexpected failure
            inside a parser is logged and reported as a `HardwareReportError` too.
    """
    sniffed = sniff(data)
    try:
        draft = _parse(sniffed)
    except HardwareReportError:
        raise
    except (RecursionError, MemoryError):
        raise HardwareReportError(
            f"this {sniffed.format} file is too deeply nested or too large to read"
        ) from None
    except Exception as exc:  # a parser bug must not become a 500 or crash a batch import
        logger.exception("Unexpected error reading %s as %s", filename, sniffed.format)
        raise HardwareReportError(
            f"this {sniffed.format} file has content the reader does not understand ({type(exc).__name__})"
        ) from exc
    for note in reversed(sniffed.warnings):
        draft.notes["source"].insert(0, note)
    return draft.finish()


def _parse(sniffed: Sniffed) -> ReportDraft:
    if sniffed.format == "lshw":
        return parse_lshw(sniffed.text, sniffed.json_value)
    if sniffed.format == "dmidecode":
        return parse_dmidecode(sniffed.text)
    if sniffed.format == "smartctl":
        value = sniffed.json_value if sniffed.json_value is not None else load_json(sniffed.text)
        return parse_smartctl(value)
    return parse_ereuse(sniffed.text, sniffed.json_value)
