"""A GIAS extract of our own in the documented header (fixtures/gias-establishments.csv: seven establishments,
quoted, 49 columns including ones devicebank ignores), and helpers to write variants of it."""

from __future__ import annotations

import codecs
import csv
import io
from pathlib import Path

import pytest

FIXTURE = Path(__file__).parent / "fixtures" / "gias-establishments.csv"


def fixture_rows() -> list[dict[str, str]]:
    with FIXTURE.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def gias_bytes(
    rows: list[dict[str, str]] | None = None,
    *,
    columns: list[str] | None = None,
    encoding: str = "utf-8",
    bom: bool = False,
) -> bytes:
    """A GIAS CSV as the download writes it (every cell quoted, CRLF), with the columns in the order given."""
    rows = fixture_rows() if rows is None else rows
    header = columns or list(rows[0])
    out = io.StringIO()
    writer = csv.DictWriter(
        out, fieldnames=header, quoting=csv.QUOTE_ALL, lineterminator="\r\n", extrasaction="ignore"
    )
    writer.writeheader()
    writer.writerows(rows)
    data = out.getvalue().encode(encoding)
    return codecs.BOM_UTF8 + data if bom else data


@pytest.fixture
def gias_file(tmp_path: Path) -> Path:
    return FIXTURE
