"""Registers over the limits on rows, columns, filled cells and unpacked size: refused with a message that names
the file and the limit, the read stopping there; nothing is written."""

from __future__ import annotations

import io
import zipfile

import pytest
from openpyxl import Workbook

from devicebank.conftest import World
from devicebank.core.models import Event
from devicebank.donations.models import RegisterImport
from devicebank.donations.register import RegisterFileError, read_table
from devicebank.donations.register.table import MAX_CELLS, MAX_COLUMNS, Limits
from devicebank.donations.services import donation_create, register_import_start


def workbook_bytes(rows: list[list[object]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


HEADER = ["Serial Number", "Manufacturer", "Model"]


def register_rows(count: int) -> list[list[object]]:
    return [HEADER] + [[f"SN{n:05d}", "Dell Inc.", "Latitude 5490"] for n in range(count)]


def csv_bytes(rows: list[list[object]]) -> bytes:
    return "".join(",".join(str(cell) for cell in row) + "\r\n" for row in rows).encode()


@pytest.mark.parametrize("make", [workbook_bytes, csv_bytes], ids=["xlsx", "csv"])
def test_a_file_with_more_filled_cells_than_the_limit_is_refused_naming_the_file_and_the_limit(make) -> None:  # type: ignore[no-untyped-def]
    data = make(register_rows(10))  # 33 filled cells with the header

    with pytest.raises(
        RegisterFileError, match=r'^"big\.\w+" has more than 30 filled cells; the limit is 30\.'
    ):
        read_table(
            data, filename="big.xlsx" if make is workbook_bytes else "big.csv", limits=Limits(cells=30)
        )


@pytest.mark.parametrize("make", [workbook_bytes, csv_bytes], ids=["xlsx", "csv"])
def test_a_file_at_the_cell_limit_is_read(make) -> None:  # type: ignore[no-untyped-def]
    table = read_table(make(register_rows(10)), filename="ok", limits=Limits(cells=33))

    assert len(table.rows) == 10


def test_a_row_wider_than_the_column_limit_is_refused_with_its_row_number() -> None:
    rows = register_rows(3)
    rows[2] = [*rows[2], *[""] * 6, "stray value far to the right"]  # row 3 of the sheet, 10 columns wide

    with pytest.raises(
        RegisterFileError, match=r'^"wide\.xlsx" has 10 columns on row 3; the limit is 5 columns\.'
    ):
        read_table(workbook_bytes(rows), filename="wide.xlsx", limits=Limits(columns=5))


def test_a_header_wider_than_the_column_limit_is_refused_on_its_line() -> None:
    header = HEADER + [f"Extra {n}" for n in range(10)]

    with pytest.raises(RegisterFileError, match=r'^"wide\.csv" has 13 columns on line 1; the limit is 12'):
        read_table(csv_bytes([header, ["A1", "HP", "x"]]), filename="wide.csv", limits=Limits(columns=12))


_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"


def excel_style_bytes(rows: list[list[str]], *, strings: list[str] | None = None) -> bytes:
    """A workbook as Excel writes it: every text in the shared-string table (openpyxl writes inline text).
    `strings` replaces the table (e.g. rich-text <si> elements); rows then hold indexes into it."""
    table: list[str] = []
    sheet = []
    for number, row in enumerate(rows, start=1):
        cells = []
        for column, value in enumerate(row):
            if strings is None:
                table.append(f"<si><t>{value}</t></si>")
                value = str(len(table) - 1)
            cells.append(f'<c r="{chr(65 + column)}{number}" t="s"><v>{value}</v></c>')
        sheet.append(f'<row r="{number}">{"".join(cells)}</row>')
    parts = {
        "[Content_Types].xml": '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.'
        'spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml"'
        ' ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
        "_rels/.rels": f'<Relationships xmlns="{_PKG}"><Relationship Id="rId1" Type="{_REL}/officeDocument" '
        'Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><sheets><sheet name="Devices" sheetId="1" '
        'r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": f'<Relationships xmlns="{_PKG}"><Relationship Id="rId1" '
        f'Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" '
        f'Type="{_REL}/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml": f'<worksheet xmlns="{_MAIN}"><sheetData>{"".join(sheet)}</sheetData></worksheet>',
        "xl/sharedStrings.xml": f'<sst xmlns="{_MAIN}">{"".join(strings if strings is not None else table)}</sst>',
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for part, text in parts.items():
            archive.writestr(part, text)
    return buffer.getvalue()


def test_a_workbook_with_shared_texts_reads_as_openpyxl_would() -> None:
    rows = [[str(cell) for cell in row] for row in register_rows(3)]

    table = read_table(excel_style_bytes(rows), filename="excel.xlsx")

    assert table.headers == HEADER
    assert table.rows == rows[1:]


def test_more_distinct_texts_than_the_cell_limit_stop_the_read_before_any_row() -> None:
    # Excel keeps every distinct text in one table read before the rows: the limit applies there too.
    data = excel_style_bytes([[str(cell) for cell in row] for row in register_rows(20)])  # 63 texts

    with pytest.raises(RegisterFileError, match="more than 24 filled cells") as refused:
        read_table(data, filename="texts.xlsx", limits=Limits(cells=24))

    assert any(entry.name == "read_strings" for entry in refused.traceback)


def test_the_default_limits_hold_a_full_register_and_no_more_columns_than_a_sheet_of_devices_needs() -> None:
    assert MAX_CELLS >= 200_000 * 15  # the row limit times the columns of a full register
    assert 40 <= MAX_COLUMNS <= 16_384  # Excel's own limit is 16,384


def test_rich_text_cells_read_as_their_plain_text_without_phonetic_guides() -> None:
    strings = [
        *(f"<si><t>{header}</t></si>" for header in HEADER),
        "<si><r><t>5CG</t></r><r><rPr><b/></rPr><t>7281</t></r><r><t>XYZ</t></r></si>",
        '<si><t>HP</t><rPh sb="0" eb="1"><t>エイチピー</t></rPh></si>',
        "<si><t>EliteBook_x005F_840</t></si>",
    ]

    table = read_table(
        excel_style_bytes([["0", "1", "2"], ["3", "4", "5"]], strings=strings), filename="r.xlsx"
    )

    assert table.rows == [["5CG7281XYZ", "HP", "EliteBook_840"]]  # _x005F_ is an escaped "_"


def test_a_register_over_the_limits_writes_nothing(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("devicebank.donations.register.table.DEFAULT_LIMITS", Limits(cells=30))
    donation = donation_create(programme=world.programme, donor=world.donor, by=None)
    events = Event.objects.count()

    with pytest.raises(RegisterFileError, match=r'"big\.xlsx" has more than 30 filled cells'):
        register_import_start(
            donation=donation, file_name="big.xlsx", data=workbook_bytes(register_rows(10)), by=None
        )

    assert not RegisterImport.objects.exists()
    assert Event.objects.count() == events
