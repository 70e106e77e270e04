"""Messy generated registers: reading never fails except with RegisterFileError, and every row is accounted for."""

from __future__ import annotations

import codecs
import csv
import io
from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from devicebank.donations.register import (
    HEADER_SYNONYMS,
    REGISTER_FIELDS,
    HeaderMapping,
    RegisterFileError,
    Table,
    guess_mapping,
    header_field,
    parse_rows,
    read_table,
    rejected_rows_csv,
)
from devicebank.donations.register.report import FORMULA_PREFIXES

TODAY = date(2024, 6, 1)
SYNONYMS = sorted({synonym for synonyms in HEADER_SYNONYMS.values() for synonym in synonyms})
DELIMITERS = [",", ";", "\t", "|"]
LINE_ENDINGS = ["\r\n", "\n", "\r"]
TRICKY_CELLS = [
    "=1+1",
    '=HYPERLINK("http://x","y")',
    "@SUM(A1:A9)",
    "+44 20 7946 0000",
    "-5",
    "\t=cmd",
    "8 GB",
    "16384 MB",
    "256GB SSD",
    "1TB HDD",
    "14/03/2019",
    "03/14/2019",
    "31/02/2019",
    "2099-01-01",
    "43538",
    "To Be Filled By O.E.M.",
    "N/A",
    "0",
    "\u00a05CG123\u200b",
    "Laptop",
    "Monitor",
    "Dell Inc.",
    'say "hi"',
    "a,b;c\td|e",
    "line\nbreak",
    "",
    " ",
]
TYPES = {
    "serial_number": str,
    "manufacturer": str,
    "model": str,
    "asset_tag": str,
    "device_type": str,
    "cpu_model": str,
    "ram_bytes": int,
    "storage_bytes": int,
    "storage_kind": str,
    "purchase_date": date,
    "notes": str,
}

any_text = st.text(st.characters(exclude_categories=("Cs",)), max_size=12)
headers = st.one_of(st.sampled_from(SYNONYMS), st.sampled_from(["Location", "Colour", "", "#"]), any_text)
cells = st.one_of(st.sampled_from(TRICKY_CELLS), any_text)


def read_or_refuse(data: bytes) -> Table | None:
    """The table, or None when the file is refused with a message (anything else raised fails the test)."""
    try:
        return read_table(data, filename="register.csv")
    except RegisterFileError as exc:
        refusal = exc.message
    assert refusal
    return None


def write_csv(rows: list[list[str]], delimiter: str, newline: str, quoting: int) -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator=newline, quoting=quoting).writerows(rows)
    return out.getvalue()


@st.composite
def messy_registers(draw: st.DrawFn) -> bytes:
    width = draw(st.integers(1, 6))
    header = draw(st.lists(headers, min_size=width, max_size=width))
    body = draw(
        st.lists(
            st.one_of(st.lists(cells, min_size=0, max_size=width + 2), st.just([])),  # ragged and empty rows
            max_size=8,
        )
    )
    titles = draw(st.lists(st.lists(cells, max_size=2), max_size=2))
    text = write_csv(
        [*titles, header, *body],
        draw(st.sampled_from(DELIMITERS)),
        draw(st.sampled_from(LINE_ENDINGS)),
        draw(st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL, csv.QUOTE_NONNUMERIC])),
    )
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "windows-1252"]))
    return text.encode(encoding, errors="replace")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(messy_registers())
def test_a_messy_register_is_read_or_refused_and_every_row_is_ok_or_has_a_reason(data: bytes) -> None:
    table = read_or_refuse(data)
    if table is None:
        return
    try:
        mapping = guess_mapping(table.headers)
    except RegisterFileError as exc:
        refusal = exc.message
        mapping = HeaderMapping(columns={"serial_number": 0})  # as if the person chose a serial column
        assert refusal.startswith(("Duplicate headers", "Missing serial column"))

    rows = parse_rows(table, mapping, today=TODAY)

    assert len(rows) == len(table.rows)
    lines = [row.line for row in rows]
    assert lines == sorted(set(lines))
    assert all(line > table.header_row for line in lines)
    for row in rows:
        assert row.ok == (not row.errors)
        assert all(isinstance(reason, str) and reason for reason in [*row.errors, *row.warnings])
        assert row.values.keys() == REGISTER_FIELDS.keys()
        for name, value in row.values.items():
            assert value is None or isinstance(value, TYPES[name]), (name, value)
        if row.ok:
            assert row.values["serial_number"] or row.values["asset_tag"]

    report = rejected_rows_csv(rows)
    assert report.startswith(codecs.BOM_UTF8)
    reported = list(csv.reader(io.StringIO(report[3:].decode("utf-8"), newline="")))
    assert len(reported) == 1 + sum(not row.ok for row in rows)
    assert not any(cell.startswith(FORMULA_PREFIXES) for line in reported for cell in line)


plain_cells = st.text(
    st.characters(exclude_categories=("Cs", "Cc"), exclude_characters="\ufeff", include_characters="\r\n\t"),
    max_size=10,
).filter(lambda cell: header_field(cell) is None)


@st.composite
def well_formed_registers(draw: st.DrawFn) -> tuple[list[str], list[list[str]], str, bytes]:
    fields = draw(st.lists(st.sampled_from(list(HEADER_SYNONYMS)), min_size=2, max_size=6, unique=True))
    header = [draw(st.sampled_from(HEADER_SYNONYMS[name])) for name in fields]
    body = draw(
        st.lists(
            st.lists(plain_cells, min_size=len(header), max_size=len(header)).filter(
                lambda row: any(cell.strip() for cell in row)
            ),
            min_size=1,
            max_size=6,
        )
    )
    delimiter = draw(st.sampled_from(DELIMITERS))
    newline = draw(st.sampled_from(LINE_ENDINGS))
    # Python's writer quotes a lone CR or LF in a cell only when it is part of its own line ending.
    quoting = (
        draw(st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL])) if newline == "\r\n" else csv.QUOTE_ALL
    )
    text = write_csv([header, *body], delimiter, newline, quoting)
    data = text.encode(draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16"])))
    return header, body, delimiter, data


@settings(max_examples=150, deadline=None)
@given(well_formed_registers())
def test_a_well_formed_register_reads_back_cell_for_cell(
    register: tuple[list[str], list[list[str]], str, bytes],
) -> None:
    header, body, delimiter, data = register

    table = read_table(data, filename="register.csv")

    assert table.delimiter == delimiter
    assert table.headers == header
    assert table.rows == body


PREFIXES = [
    b"",
    b"PK\x03\x04",
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
    codecs.BOM_UTF8,
    codecs.BOM_UTF16_LE,
    b"<?xml",
]


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(PREFIXES), st.binary(max_size=2000))
def test_any_bytes_at_all_are_read_or_refused_with_a_register_file_error(prefix: bytes, data: bytes) -> None:
    table = read_or_refuse(prefix + data)

    assert table is None or table.rows
