"""What goes back to the person: the file's fingerprint and the rejected-rows report."""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
from collections.abc import Iterable

from devicebank.donations.register.rows import RegisterRow

# A spreadsheet runs a cell that starts with one of these as a formula ("=HYPERLINK(...)", "@SUM(...)", and
# "-"/"+" start formulas too); full-width forms are included because some spreadsheets fold them.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


def file_fingerprint(data: bytes) -> str:
    """The SHA-256 of the file (hex), so an import of the same file again can be spotted."""
    return hashlib.sha256(data).hexdigest()


def neutralise_cell(value: str) -> str:
    """The cell with a leading apostrophe when a spreadsheet would run it as a formula."""
    return "'" + value if value.startswith(FORMULA_PREFIXES) else value


def rejected_rows_csv(rows: Iterable[RegisterRow]) -> bytes:
    """The rejected rows as a CSV to download, fix and upload again.

    Columns: the file's own columns (as they were), then "line" and "reasons". Every cell is neutralised
    against formula injection. UTF-8 with a byte-order mark and CRLF line ends, so Excel opens it cleanly.
    Rows that can be imported are left out.
    """
    rejected = [row for row in rows if not row.ok]
    columns = list(dict.fromkeys(key for row in rejected for key in row.raw))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([neutralise_cell(name) for name in [*columns, "line", "reasons"]])
    for row in rejected:
        cells = [row.raw.get(name, "") for name in columns]
        writer.writerow([neutralise_cell(cell) for cell in [*cells, str(row.line), "; ".join(row.errors)]])
    return codecs.BOM_UTF8 + out.getvalue().encode("utf-8")
