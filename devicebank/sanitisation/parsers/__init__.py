"""Pure-Python readers for data-erasure evidence: nwipe/ShredOS logs and eReuse Workbench snapshots.

No database and no Django here: bytes in, an `ErasureReport` out (one `DriveErasure` per drive per run), or an
`ErasureReportError` with a plain reason. See docs/erasure-reports.md.

    report = parse_erasure_report(data, filename="laptop-42.log")
    rows = [drive.to_json("laptop-42.log") for drive in report.drives]  # the CLI --json / API shape

To read another tool's reports, add a parser class to `PARSERS` (see `ErasureParser`).
"""

from devicebank.sanitisation.parsers.blancco import BlanccoParser
from devicebank.sanitisation.parsers.ereuse import SIZE_NOTE_PREFIX, EreuseWorkbenchParser
from devicebank.sanitisation.parsers.nwipe import NwipeParser
from devicebank.sanitisation.parsers.plausibility import (
    MAX_PLAUSIBLE_BYTES_PER_SECOND,
    MAX_PLAUSIBLE_DURATION,
    plausibility_warnings,
)
from devicebank.sanitisation.parsers.registry import (
    MAX_REPORT_BYTES,
    PARSERS,
    ErasureParser,
    parse_erasure_report,
)
from devicebank.sanitisation.parsers.report import (
    FINAL_OVERWRITES,
    JSON_KEYS,
    MEDIA_TYPES,
    NIST_LEVEL_BY_TECHNIQUE,
    NIST_LEVELS,
    RESULTS,
    TECHNIQUES,
    VERIFICATIONS,
    DriveErasure,
    ErasureReport,
    ErasureReportError,
    error_json,
)

__all__ = [
    "FINAL_OVERWRITES",
    "JSON_KEYS",
    "MAX_PLAUSIBLE_BYTES_PER_SECOND",
    "MAX_PLAUSIBLE_DURATION",
    "MAX_REPORT_BYTES",
    "MEDIA_TYPES",
    "NIST_LEVELS",
    "NIST_LEVEL_BY_TECHNIQUE",
    "PARSERS",
    "RESULTS",
    "SIZE_NOTE_PREFIX",
    "TECHNIQUES",
    "VERIFICATIONS",
    "BlanccoParser",
    "DriveErasure",
    "ErasureParser",
    "ErasureReport",
    "ErasureReportError",
    "EreuseWorkbenchParser",
    "NwipeParser",
    "error_json",
    "parse_erasure_report",
    "plausibility_warnings",
]
