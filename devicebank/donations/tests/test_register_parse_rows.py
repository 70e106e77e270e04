"""parse_rows: typed values, identity rules, duplicates within the file, ragged rows and line numbers."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from devicebank.devices.models import DeviceType, StorageKind
from devicebank.donations.register import (
    REGISTER_FIELDS,
    HeaderMapping,
    RegisterRow,
    Table,
    guess_mapping,
    parse_rows,
    read_table,
)

FIXTURES = Path(__file__).parent / "fixtures"
TODAY = date(2024, 6, 1)
GIB = 2**30


def rows_of(text: str, *, filename: str = "register.csv") -> list[RegisterRow]:
    table = read_table(text.encode(), filename=filename)
    return parse_rows(table, guess_mapping(table.headers), today=TODAY)


def fixture_rows(name: str) -> list[RegisterRow]:
    table = read_table((FIXTURES / name).read_bytes(), filename=name)
    return parse_rows(table, guess_mapping(table.headers), today=TODAY)


def test_a_typical_register_becomes_typed_normalised_values() -> None:
    rows = fixture_rows("register_basic.csv")

    assert all(row.ok and not row.warnings for row in rows)
    assert rows[0].line == 2
    assert rows[0].values == {
        "serial_number": "5CG7281XYZ",
        "manufacturer": "HP",
        "model": "EliteBook 840 G3",
        "asset_tag": "BAR-00101",
        "device_type": DeviceType.LAPTOP,
        "cpu_model": "Intel Core i5-6300U",
        "ram_bytes": 8 * GIB,
        "storage_bytes": 256_000_000_000,
        "storage_kind": StorageKind.SSD,
        "purchase_date": date(2017, 3, 14),
        "notes": None,
    }
    assert [row.values["manufacturer"] for row in rows] == ["HP", "Dell", "Lenovo", "Dell"]
    assert [row.values["ram_bytes"] for row in rows] == [8 * GIB, 8 * GIB, 16 * GIB, 4 * GIB]
    assert rows[3].values["purchase_date"] == date(2017, 9, 22)  # Excel serial 43000


def test_the_raw_cells_are_kept_as_they_were() -> None:
    row = fixture_rows("register_basic.csv")[0]

    assert row.raw["Manufacturer"] == "HP Inc."
    assert row.raw["Purchase Date"] == "14/03/2017"


@pytest.mark.parametrize(
    "fixture",
    [
        "register_excel_semicolon.csv",
        "register_windows1252.csv",
        "register_unicode_text.txt",
        "register.tsv",
        "register_pipe.txt",
        "register_title_rows.csv",
        "register_quoted.csv",
        "register_sep_hint.csv",
    ],
)
def test_every_sample_register_imports_cleanly(fixture: str) -> None:
    rows = fixture_rows(fixture)

    assert rows
    assert [row.errors for row in rows if not row.ok] == []


def test_units_in_the_header_apply_to_bare_numbers() -> None:
    rows = fixture_rows("register_unicode_text.txt")  # "RAM (MB)"

    assert [row.values["ram_bytes"] for row in rows] == [8 * GIB, 16 * GIB]

    (row,) = rows_of("Serial,Storage (TB),RAM (GB)\n5CG001,1,300\n")
    assert (row.values["storage_bytes"], row.values["ram_bytes"]) == (10**12, 300 * GIB)


def test_a_placeholder_serial_is_a_warning_when_there_is_an_asset_tag() -> None:
    (row,) = rows_of("Serial,Asset Tag\nTo Be Filled By O.E.M.,BAR-001\n")

    assert row.ok
    assert row.values["serial_number"] is None
    assert row.warnings == ['serial is a placeholder ("To Be Filled By O.E.M."); treated as missing']


@pytest.mark.parametrize(
    "serial", ["To Be Filled By O.E.M.", "0", "--", "N/A", "Default string", "0000000", ""]
)
def test_a_row_with_no_usable_serial_and_no_asset_tag_is_rejected(serial: str) -> None:
    (row,) = rows_of(f"Serial,Make,Asset Tag\n{serial},HP,\n")

    assert not row.ok
    assert row.errors == ["no serial number or asset tag: a row needs at least one"]
    if serial:
        assert row.warnings == [f'serial is a placeholder ("{serial}"); treated as missing']


def test_serials_and_tags_are_trimmed_of_invisible_characters() -> None:
    (row,) = rows_of("Serial,Asset Tag\n\u00a05CG 7281\u200b ,\u200bBAR-001\u00a0\n")

    assert (row.values["serial_number"], row.values["asset_tag"]) == ("5CG 7281", "BAR-001")


def test_a_repeated_serial_from_the_same_maker_rejects_the_later_rows() -> None:
    rows = rows_of(
        "Serial,Make,Asset Tag\n"
        "5CG7281XYZ,HP Inc.,A-101\n"
        "5cg-7281-xyz,Hewlett Packard,A-102\n"
        "5CG7281XYZ,Dell,A-103\n"
        "5CG7281XYZ,HP,A-104\n"
    )

    assert [row.errors for row in rows] == [
        [],
        ['serial number "5cg-7281-xyz" is already on line 2'],
        [],  # another maker may use the same serial
        ['serial number "5CG7281XYZ" is already on line 2'],
    ]


def test_each_row_carries_the_matching_keys_for_the_check_against_stock() -> None:
    rows = rows_of("Serial,Make\n5cg-7281 xyz,Hewlett-Packard\nN/A,Dell\n")

    assert [(row.manufacturer_key, row.serial_key) for row in rows] == [("hp", "5CG7281XYZ"), ("dell", None)]


def test_a_repeated_donor_asset_tag_rejects_the_later_rows() -> None:
    rows = rows_of("Asset Tag,Model\nBAR-001,T480\nbar 001,T470\nBAR-002,T460\n")

    assert [row.errors for row in rows] == [[], ['asset tag "bar 001" is already on line 2'], []]


def test_bad_cells_become_row_errors_with_reasons_and_the_other_rows_import() -> None:
    rows = rows_of(
        "Serial,RAM,Storage,Purchase Date,Type\n"
        "5CG001,lots,big,31/02/2019,Laptop\n"
        "5CG002,8GB,256GB,2019-01-01,Laptop\n"
    )

    assert rows[0].errors == [
        'RAM "lots" is not a size such as "8 GB"',
        'storage "big" is not a size such as "256 GB SSD"',
        'purchase date "31/02/2019" is not a real date',
    ]
    assert rows[1].ok


def test_an_unknown_device_type_is_a_warning_not_a_rejection() -> None:
    (row,) = rows_of("Serial,Type\n5CG001,Projector\n")

    assert row.ok
    assert row.values["device_type"] == DeviceType.OTHER
    assert row.warnings == ['device type "Projector" is not one we know; recorded as other']


def test_a_storage_type_column_beats_the_words_in_the_storage_column() -> None:
    rows = rows_of("Serial,Storage,Storage Type\n5CG001,256GB SSD,NVMe\n5CG002,256GB SSD,\n")

    assert [row.values["storage_kind"] for row in rows] == [StorageKind.NVME, StorageKind.SSD]


def test_a_row_with_fewer_cells_than_headers_is_kept_with_a_warning() -> None:
    (row,) = rows_of("Serial,Make,Model\n5CG001,HP\n")

    assert row.ok
    assert row.warnings == ["has 2 cells but the header has 3; the missing cells were read as empty"]
    assert row.raw == {"Serial": "5CG001", "Make": "HP", "Model": ""}


def test_a_row_with_more_cells_than_headers_is_rejected() -> None:
    rows = rows_of("Serial,Make,Model\n5CG001,Dell, Inc.,Latitude\n5CG002,HP,EliteBook,,\n")

    assert rows[0].errors == [
        "has 4 cells but the header has 3 columns: a value probably contains an unquoted comma"
    ]
    assert rows[0].raw["Column D"] == "Latitude"
    assert rows[1].ok  # empty trailing cells are not extra values


def test_line_numbers_are_the_ones_a_person_sees() -> None:
    rows = fixture_rows("register_title_rows.csv")

    assert [row.line for row in rows] == [5, 6]


def test_formula_like_cells_are_kept_as_plain_data() -> None:
    (row,) = rows_of('Serial,Model,Notes\n5CG001,=1+1,"@SUM(A1:A2)"\n')

    assert (row.values["model"], row.values["notes"]) == ("=1+1", "@SUM(A1:A2)")


def test_notes_keep_their_line_breaks() -> None:
    (row,) = rows_of('Serial,Notes\n5CG001,"Cracked screen\r\nNo charger"\n')

    assert row.values["notes"] == "Cracked screen\nNo charger"


def test_a_value_longer_than_the_device_record_allows_is_an_error() -> None:
    (row,) = rows_of(f"Serial,Model\n5CG001,{'x' * 201}\n")

    assert row.errors == ["model is longer than 200 characters"]


def test_repeated_header_names_stay_apart_in_the_raw_cells() -> None:
    table = read_table(b"Serial,Location,Location\n5CG001,Hall,Room 2\n", filename="r.csv")

    (row,) = parse_rows(table, guess_mapping(table.headers), today=TODAY)

    assert row.raw == {"Serial": "5CG001", "Location": "Hall", "Location (column C)": "Room 2"}


def test_unmapped_fields_are_none() -> None:
    (row,) = rows_of("Asset Tag\nBAR-001\n")

    assert row.values == dict.fromkeys(REGISTER_FIELDS) | {"asset_tag": "BAR-001"}


def test_a_table_built_by_hand_numbers_its_rows_after_the_header() -> None:
    table = Table(
        format="csv", encoding="utf-8", delimiter=",", headers=["Serial"], rows=[["5CG001"], ["5CG002"]]
    )

    rows = parse_rows(table, HeaderMapping(columns={"serial_number": 0}), today=TODAY)

    assert [row.line for row in rows] == [2, 3]


def test_a_mapping_that_does_not_fit_the_table_is_a_programming_error() -> None:
    table = Table(format="csv", encoding="utf-8", delimiter=",", headers=["Serial"], rows=[["5CG001"]])

    with pytest.raises(ValueError, match="does not fit this table"):
        parse_rows(table, HeaderMapping(columns={"serial_number": 3}))
