"""The rejected-rows report and the file fingerprint."""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
from datetime import date

import pytest

from devicebank.donations.register import (
    RegisterRow,
    file_fingerprint,
    guess_mapping,
    neutralise_cell,
    parse_rows,
    read_table,
    rejected_rows_csv,
)


def report_rows(report: bytes) -> list[list[str]]:
    assert report.startswith(codecs.BOM_UTF8)
    return list(csv.reader(io.StringIO(report[3:].decode("utf-8"), newline="")))


def test_the_report_holds_the_rejected_rows_with_their_line_and_reasons() -> None:
    data = "Serial,Make,Notes\n5CG001,HP,fine\n,Dell,no serial\n5CG001,HP,again £\n".encode()
    table = read_table(data, filename="r.csv")
    rows = parse_rows(table, guess_mapping(table.headers), today=date(2024, 6, 1))

    report = rejected_rows_csv(rows)

    assert report_rows(report) == [
        ["Serial", "Make", "Notes", "line", "reasons"],
        ["", "Dell", "no serial", "3", "no serial number or asset tag: a row needs at least one"],
        ["5CG001", "HP", "again £", "4", 'serial number "5CG001" is already on line 2'],
    ]
    assert b"\r\n" in report


def test_every_cell_of_the_report_is_neutralised_against_formulas() -> None:
    row = RegisterRow(
        line=7,
        raw={"=Header": '=HYPERLINK("http://evil")', "Make": "+44 20 7946", "Model": "-5", "Tag": "@SUM(A1)"},
        values={},
        errors=["=bad", "second"],
    )

    (header, cells) = report_rows(rejected_rows_csv([row]))

    assert header == ["'=Header", "Make", "Model", "Tag", "line", "reasons"]
    assert cells == ['\'=HYPERLINK("http://evil")', "'+44 20 7946", "'-5", "'@SUM(A1)", "7", "'=bad; second"]


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1", "@A1", "\t=1", "\r=1", "＝1+1"])
def test_cells_a_spreadsheet_would_run_get_a_leading_apostrophe(value: str) -> None:
    assert neutralise_cell(value) == "'" + value


@pytest.mark.parametrize("value", ["5CG001", "", " =1", "a=b", "'=1"])
def test_other_cells_are_left_alone(value: str) -> None:
    assert neutralise_cell(value) == value


def test_rows_that_can_be_imported_are_left_out() -> None:
    ok = RegisterRow(line=2, raw={"Serial": "5CG001"}, values={})

    assert report_rows(rejected_rows_csv([ok])) == [["line", "reasons"]]


def test_the_report_has_the_union_of_the_rows_columns() -> None:
    short = RegisterRow(line=2, raw={"Serial": "x"}, values={}, errors=["e1"])
    long = RegisterRow(line=3, raw={"Serial": "y", "Column D": "stray"}, values={}, errors=["e2"])

    assert report_rows(rejected_rows_csv([short, long])) == [
        ["Serial", "Column D", "line", "reasons"],
        ["x", "", "2", "e1"],
        ["y", "stray", "3", "e2"],
    ]


def test_the_fingerprint_is_the_sha256_of_the_bytes() -> None:
    data = b"Serial\n5CG001\n"

    assert file_fingerprint(data) == hashlib.sha256(data).hexdigest()
    assert file_fingerprint(data) == file_fingerprint(bytes(data))
    assert file_fingerprint(data) != file_fingerprint(data + b"\n")
