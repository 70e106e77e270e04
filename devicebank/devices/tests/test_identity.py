from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from devicebank.devices.identity import canonical_manufacturer, clean_serial, manufacturer_key, serial_key


@pytest.mark.parametrize(
    "placeholder",
    [
        "To Be Filled By O.E.M.",
        "System Serial Number",
        "Default string",
        "0",
        "--",
        "",
        "   ",
        None,
        "Not Specified",
        "N/A",
        "0000000000",
        "XXXXXXXX",
        "123456789",
        "Chassis Serial Number",
        "None",
    ],
)
def test_placeholder_serials_count_as_missing(placeholder: str | None) -> None:
    assert serial_key(placeholder) is None
    assert clean_serial(placeholder) is None


def test_real_serials_are_kept_as_printed_and_matched_loosely() -> None:
    assert clean_serial("  5CG8 123ABC ") == "5CG8 123ABC"
    assert serial_key("5cg8-123abc") == serial_key("5CG8 123ABC") == "5CG8123ABC"
    assert serial_key("PF1ABCDE") == "PF1ABCDE"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Dell Inc.", "Dell"),
        ("DELL", "Dell"),
        ("Hewlett-Packard", "HP"),
        ("HP", "HP"),
        ("LENOVO", "Lenovo"),
        ("ASUSTeK COMPUTER INC.", "ASUS"),
        ("Framework", "Framework"),
        ("To Be Filled By O.E.M.", ""),
        (None, ""),
    ],
)
def test_manufacturers_have_one_spelling(raw: str | None, expected: str) -> None:
    assert canonical_manufacturer(raw) == expected


def test_manufacturer_keys_ignore_case_and_punctuation() -> None:
    assert manufacturer_key("Dell Inc.") == manufacturer_key("dell") == "dell"


@given(st.text())
def test_serial_handling_never_fails_and_is_consistent(raw: str) -> None:
    key = serial_key(raw)
    cleaned = clean_serial(raw)
    assert (key is None) == (cleaned is None)
    if key is not None:
        assert key == key.upper()
        assert serial_key(cleaned) == key
