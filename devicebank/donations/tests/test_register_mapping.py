"""Header mapping: synonyms, units, duplicates, the missing serial column, and the person's choices."""

from __future__ import annotations

from pathlib import Path

import pytest

from devicebank.donations.register import (
    HEADER_SYNONYMS,
    REGISTER_FIELDS,
    HeaderMapping,
    RegisterFileError,
    apply_mapping_choice,
    guess_mapping,
    header_field,
    parse_rows,
    read_table,
)

FIXTURES = Path(__file__).parent / "fixtures"
DOCS = Path(__file__).resolve().parents[3] / "docs" / "asset-register-import.md"


def test_every_field_has_a_label_and_synonyms() -> None:
    assert HEADER_SYNONYMS.keys() == REGISTER_FIELDS.keys()


@pytest.mark.parametrize(
    ("header", "field"),
    [(synonym, field) for field, synonyms in HEADER_SYNONYMS.items() for synonym in synonyms],
)
def test_each_synonym_names_its_field(header: str, field: str) -> None:
    assert header_field(header) == field


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("SERIAL_NO", "serial_number"),
        ("  serial   no. ", "serial_number"),
        ("Serial\u00a0Number\u200b", "serial_number"),
        ("s/n", "serial_number"),
        ("Serial Number (S/N)", "serial_number"),
        ("ServiceTag", "serial_number"),
        ("Asset-ID", "asset_tag"),
        ("asset #", "asset_tag"),
        ("RAM [MB]", "ram_bytes"),
        ("Memory size (GB)", "ram_bytes"),
        ("Installed RAM", "ram_bytes"),
        ("Storage Capacity (TB)", "storage_bytes"),
        ("HDD Size", "storage_bytes"),
        ("Date of purchase", "purchase_date"),
        ("PURCHASE-DATE", "purchase_date"),
        ("Model #", "model"),
    ],
)
def test_matching_ignores_case_spacing_punctuation_units_and_filler(header: str, field: str) -> None:
    assert header_field(header) == field


@pytest.mark.parametrize(
    "header", ["Location", "Condition", "Memory Type", "CPU Speed", "Description", "", "#"]
)
def test_headers_it_cannot_place_map_to_nothing(header: str) -> None:
    assert header_field(header) is None


def test_it_guesses_a_mapping_and_lists_the_headers_it_could_not_place() -> None:
    headers = ["Asset No", "S/N", "Make", "Location", "Memory (GB)", "Location"]

    mapping = guess_mapping(headers)

    assert mapping.columns == {"asset_tag": 0, "serial_number": 1, "manufacturer": 2, "ram_bytes": 4}
    assert mapping.unmapped == ["Location"]
    assert mapping.problems == []
    assert mapping.ok


def test_an_asset_tag_column_is_enough_without_a_serial_column() -> None:
    assert guess_mapping(["Asset Tag", "Model"]).columns == {"asset_tag": 0, "model": 1}


def test_two_headers_for_the_same_field_are_a_file_error_naming_both() -> None:
    data = (FIXTURES / "register_duplicate_headers.csv").read_bytes()
    table = read_table(data, filename="dup.csv")

    with pytest.raises(RegisterFileError) as caught:
        guess_mapping(table.headers)

    assert caught.value.message == (
        'Duplicate headers: "Serial" (column A) and "S/N" (column D) both look like the serial number. '
        "Delete or rename all but one of them and upload the file again."
    )


def test_repeated_notes_headers_are_duplicates_too() -> None:
    with pytest.raises(RegisterFileError, match='"Notes" \\(column B\\) and "Notes" \\(column C\\)'):
        guess_mapping(["Serial", "Notes", "Notes"])


def test_a_file_with_no_serial_or_asset_tag_column_is_refused() -> None:
    data = (FIXTURES / "register_no_serial.csv").read_bytes()
    table = read_table(data, filename="no-serial.csv")

    with pytest.raises(RegisterFileError, match=r"^Missing serial column") as caught:
        guess_mapping(table.headers)

    assert '"Make", "Model", "Location", "Condition"' in caught.value.message


def test_the_person_can_place_a_header_the_guess_left_out() -> None:
    headers = ["Device ID", "Make", "Location"]

    mapping = apply_mapping_choice(headers, {"Device ID": "serial_number", "Location": None})

    assert mapping.columns == {"serial_number": 0, "manufacturer": 1}
    assert mapping.unmapped == []
    assert mapping.ok


def test_the_person_can_ignore_a_column_the_guess_placed() -> None:
    mapping = apply_mapping_choice(["Serial", "Notes"], {"Notes": None})

    assert mapping.columns == {"serial_number": 0}


def test_an_empty_choice_from_a_form_means_ignore() -> None:
    assert apply_mapping_choice(["Serial", "Notes"], {"Notes": ""}).columns == {"serial_number": 0}


def test_choosing_one_field_for_two_columns_is_a_problem() -> None:
    mapping = apply_mapping_choice(["Serial", "Tag", "Other"], {"Other": "serial_number"})

    assert mapping.problems == [
        'Serial number is chosen for more than one column: "Serial" (column A) and "Other" (column C).'
    ]
    assert not mapping.ok


def test_choices_that_do_not_fit_the_file_are_problems() -> None:
    mapping = apply_mapping_choice(["Serial"], {"Colour": "notes", "Serial": "colour"})

    assert mapping.problems == [
        'There is no column "Colour" in the file.',
        '"colour" is not a register field.',
        "Missing serial column: choose the column that holds the serial number or the donor's asset tag.",
    ]


def test_rows_cannot_be_parsed_with_a_mapping_that_has_problems() -> None:
    table = read_table(b"Serial,Make\n5CG001,HP\n", filename="r.csv")
    mapping = apply_mapping_choice(table.headers, {"Serial": None})

    with pytest.raises(RegisterFileError, match="Missing serial column"):
        parse_rows(table, mapping)


def test_a_guess_round_trips_through_the_confirm_screen() -> None:
    headers = ["Serial", "Make", "Location"]
    guess = guess_mapping(headers)

    choice = guess.as_choice(headers)

    assert choice == {"Serial": "serial_number", "Make": "manufacturer", "Location": None}
    assert apply_mapping_choice(headers, choice) == HeaderMapping(columns=guess.columns)


def test_the_guide_lists_every_header_synonym() -> None:
    guide = DOCS.read_text(encoding="utf-8")

    missing = [s for synonyms in HEADER_SYNONYMS.values() for s in synonyms if f"`{s}`" not in guide]
    assert missing == []
