"""XLSX registers: sheet choice, title rows, typed cells, and rows read from them."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime

import pytest
from openpyxl import Workbook

from devicebank.donations.register import RegisterFileError, guess_mapping, parse_rows, read_table

TODAY = date(2024, 6, 1)


def xlsx_bytes(*sheets: tuple[str, list[list[object]]], hidden: frozenset[str] = frozenset()) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets:
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
        if title in hidden:
            sheet.sheet_state = "hidden"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


LAPTOPS = [
    ["Serial", "Make", "Model", "RAM (GB)", "Purchased"],
    ["5CG7281XYZ", "HP", "EliteBook 840 G3", 8, datetime(2017, 3, 14)],
    ["JX4K2L2", "Dell Inc.", "Latitude E7470", 16.0, 43000],
]


def test_it_reads_the_first_sheet_with_cells_as_text() -> None:
    table = read_table(xlsx_bytes(("Laptops", LAPTOPS)), filename="donation.xlsx")

    assert (table.format, table.encoding, table.delimiter, table.sheet) == ("xlsx", None, None, "Laptops")
    assert table.headers == ["Serial", "Make", "Model", "RAM (GB)", "Purchased"]
    assert table.rows == [
        ["5CG7281XYZ", "HP", "EliteBook 840 G3", "8", "2017-03-14"],
        ["JX4K2L2", "Dell Inc.", "Latitude E7470", "16", "43000"],
    ]
    assert table.lines == [2, 3]


def test_datetime_cells_and_excel_serial_days_become_purchase_dates() -> None:
    table = read_table(xlsx_bytes(("Laptops", LAPTOPS)), filename="donation.xlsx")

    rows = parse_rows(table, guess_mapping(table.headers), today=TODAY)

    assert [row.values["purchase_date"] for row in rows] == [date(2017, 3, 14), date(2017, 9, 22)]
    assert [row.values["ram_bytes"] for row in rows] == [8 * 2**30, 16 * 2**30]
    assert all(row.ok for row in rows)


def test_it_skips_title_rows_and_counts_rows_as_the_sheet_does() -> None:
    rows: list[list[object]] = [["Barnet Council asset disposals"], ["Batch 3"], [], *LAPTOPS]

    table = read_table(xlsx_bytes(("Sheet1", rows)), filename="donation.xlsx")

    assert table.header_row == 4
    assert table.lines == [5, 6]
    assert table.warnings == ["The rows above the header (rows 1–3) were taken as titles and skipped."]


def test_it_picks_the_sheet_with_a_register_header_over_a_cover_sheet() -> None:
    cover = [["Donation from Acme Ltd"], ["Contact", "IT Services"]]
    lists = [["Type"], ["Laptop"], ["Desktop"]]

    table = read_table(
        xlsx_bytes(("Cover", cover), ("Lists", lists), ("Devices", LAPTOPS)), filename="donation.xlsx"
    )

    assert table.sheet == "Devices"
    assert table.warnings == [
        'Read the sheet "Devices"; other sheets with data were left out: "Cover", "Lists".'
    ]


def test_it_skips_empty_and_hidden_sheets() -> None:
    data = xlsx_bytes(("Empty", []), ("Old", LAPTOPS), ("Current", LAPTOPS[:2]), hidden=frozenset({"Old"}))

    table = read_table(data, filename="donation.xlsx")

    assert table.sheet == "Current"
    assert len(table.rows) == 1


def test_an_xlsx_named_csv_is_still_read_as_a_workbook() -> None:
    table = read_table(xlsx_bytes(("Laptops", LAPTOPS)), filename="donation.csv")

    assert table.format == "xlsx"
    assert "is an Excel workbook" in table.warnings[0]


def test_a_value_in_a_column_with_no_header_rejects_the_row() -> None:
    sheet = [["Serial", "Make"], ["5CG001", "HP", "stray"], ["5CG002", "Dell"]]
    table = read_table(xlsx_bytes(("S", sheet)), filename="d.xlsx")

    rows = parse_rows(table, guess_mapping(table.headers), today=TODAY)

    assert rows[0].errors == ["has values in columns with no header (from column C)"]
    assert rows[0].raw["Column C"] == "stray"
    assert rows[1].ok


def test_a_workbook_with_only_a_header_is_refused() -> None:
    with pytest.raises(RegisterFileError, match="no rows below it"):
        read_table(xlsx_bytes(("S", [["Serial", "Make"]])), filename="d.xlsx")


def test_a_workbook_over_the_row_limit_is_refused() -> None:
    sheet: list[list[object]] = [["Serial"], *([f"S{n}"] for n in range(5))]

    with pytest.raises(RegisterFileError, match="more than 4 rows"):
        read_table(xlsx_bytes(("S", sheet)), filename="d.xlsx", max_rows=4)


def test_a_broken_workbook_is_refused_with_a_message() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<not-really/>")
        archive.writestr("xl/workbook.xml", "garbage")

    with pytest.raises(RegisterFileError, match="could not be opened as an Excel workbook"):
        read_table(buffer.getvalue(), filename="d.xlsx")
