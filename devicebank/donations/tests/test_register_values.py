"""Cell values: text cleaning, RAM, storage, device types and purchase dates."""

from __future__ import annotations

from datetime import date

import pytest

from devicebank.devices.models import DeviceType, StorageKind
from devicebank.donations.register.values import (
    clean_line,
    clean_text,
    header_unit,
    parse_device_type,
    parse_purchase_date,
    parse_ram,
    parse_storage,
    parse_storage_kind,
)

GIB = 2**30
TODAY = date(2024, 6, 1)


def test_cleaning_drops_invisible_characters_and_no_break_spaces() -> None:
    assert clean_text("\u00a0 5CG\u200b123\ufeff \u202f") == "5CG123"
    assert clean_line("  HP \n EliteBook\t840 ") == "HP EliteBook 840"
    assert clean_text(" line one\nline two ") == "line one\nline two"


@pytest.mark.parametrize(
    ("header", "unit"),
    [("RAM (GB)", "GB"), ("Memory MB", "MB"), ("Storage in TiB", "TiB"), ("RAM", None), ("GBP value", None)],
)
def test_a_header_can_give_its_column_a_unit(header: str, unit: str | None) -> None:
    assert header_unit(header) == unit


@pytest.mark.parametrize(
    ("text", "unit", "expected"),
    [
        ("8 GB", None, 8 * GIB),
        ("8GB", None, 8 * GIB),
        ("8gb", None, 8 * GIB),
        ("8 GiB", None, 8 * GIB),
        ("8", None, 8 * GIB),
        ("256", None, 256 * GIB),
        ("8192", None, 8 * GIB),
        ("16384 MB", None, 16 * GIB),
        ("16,384 MB", None, 16 * GIB),
        ("1.5 GB", None, 3 * GIB // 2),
        ("2 x 4GB", None, 8 * GIB),
        ("8GB DDR4 2666MHz", None, 8 * GIB),
        ("DDR3 4GB", None, 4 * GIB),
        ("8192", "MB", 8 * GIB),
        ("4", "MB", 4 * 2**20),
        ("8 GB", "MB", 8 * GIB),  # a unit in the cell beats the header's
        ("", None, None),
        ("N/A", None, None),
        ("unknown", None, None),
    ],
)
def test_ram_is_read_in_bytes(text: str, unit: str | None, expected: int | None) -> None:
    parsed = parse_ram(text, unit)

    assert (parsed.value, parsed.error, parsed.warning) == (expected, None, None)


def test_a_bare_ram_number_between_256_and_512_is_too_ambiguous_to_guess() -> None:
    parsed = parse_ram("384")

    assert parsed.value is None
    assert parsed.warning == 'RAM "384" has no unit and could be GB or MB; left blank'


@pytest.mark.parametrize(
    ("text", "error"),
    [("lots", 'RAM "lots" is not a size such as "8 GB"'), ("9000 TB", 'RAM "9000 TB" is more than any')],
)
def test_unreadable_ram_is_an_error(text: str, error: str) -> None:
    parsed = parse_ram(text)

    assert parsed.value is None
    assert parsed.error is not None
    assert parsed.error.startswith(error)


@pytest.mark.parametrize(
    ("text", "unit", "size", "kind"),
    [
        ("256GB SSD", None, 256_000_000_000, StorageKind.SSD),
        ("1TB HDD", None, 1_000_000_000_000, StorageKind.HDD),
        ("512 GB NVMe", None, 512_000_000_000, StorageKind.NVME),
        ("NVMe SSD 512GB", None, 512_000_000_000, StorageKind.NVME),
        ("32GB eMMC", None, 32_000_000_000, StorageKind.EMMC),
        ("500GB", None, 500_000_000_000, None),
        ("1,5 TB", None, 1_500_000_000_000, None),
        ("256 GiB", None, 256 * GIB, None),
        ("2 x 256GB SSD", None, 512_000_000_000, StorageKind.SSD),
        ("256GB SSD + 1TB HDD", None, 1_256_000_000_000, StorageKind.SSD),
        ("Samsung 870 EVO 500GB", None, 500_000_000_000, None),
        ("256 SSD", None, 256_000_000_000, StorageKind.SSD),
        ("1", "TB", 1_000_000_000_000, None),
        ("500", "GB", 500_000_000_000, None),
        ("SSD", None, None, StorageKind.SSD),
        ("7200rpm 500GB", None, 500_000_000_000, StorageKind.HDD),
    ],
)
def test_storage_is_read_in_decimal_bytes_with_its_kind(
    text: str, unit: str | None, size: int | None, kind: str | None
) -> None:
    parsed = parse_storage(text, unit)

    assert parsed.value == (size, kind)
    assert (parsed.error, parsed.warning) == (None, None)


def test_a_small_bare_storage_number_is_too_ambiguous_to_guess() -> None:
    parsed = parse_storage("2")

    assert parsed.value == (None, None)
    assert parsed.warning == 'storage "2" has no unit and could be GB or TB; size left blank'


def test_storage_that_is_not_a_size_is_an_error() -> None:
    assert parse_storage("big").error == 'storage "big" is not a size such as "256 GB SSD"'


@pytest.mark.parametrize(
    ("text", "kind", "warning"),
    [
        ("SSD", StorageKind.SSD, None),
        ("Hard disk", StorageKind.HDD, None),
        ("M.2 NVMe", StorageKind.NVME, None),
        ("", None, None),
        ("Floppy", None, 'storage type "Floppy" is not SSD, HDD, NVMe or eMMC; left blank'),
    ],
)
def test_a_storage_type_column_is_read_from_its_words(
    text: str, kind: str | None, warning: str | None
) -> None:
    assert parse_storage_kind(text) == (kind, None, warning)


@pytest.mark.parametrize(
    ("text", "device_type"),
    [
        ("Laptop", DeviceType.LAPTOP),
        ("notebook", DeviceType.LAPTOP),
        ("Ultrabook", DeviceType.LAPTOP),
        ("2-in-1", DeviceType.LAPTOP),
        ("Mobile Workstation", DeviceType.LAPTOP),
        ("Desktop", DeviceType.DESKTOP),
        ("PC", DeviceType.DESKTOP),
        ("Tower", DeviceType.DESKTOP),
        ("SFF", DeviceType.DESKTOP),
        ("Workstation", DeviceType.DESKTOP),
        ("Mini PC", DeviceType.DESKTOP),
        ("AIO", DeviceType.ALL_IN_ONE),
        ("All-in-one", DeviceType.ALL_IN_ONE),
        ("All in One PC", DeviceType.ALL_IN_ONE),
        ("Tablet", DeviceType.TABLET),
        ("iPad Air", DeviceType.TABLET),
        ("Tablet PC", DeviceType.TABLET),
        ("Phone", DeviceType.PHONE),
        ("Mobile phone", DeviceType.PHONE),
        ("Smart phone", DeviceType.PHONE),
        ("iPhone 8", DeviceType.PHONE),
        ("Chromebook", DeviceType.CHROMEBOOK),
        ("HP Chromebook 11 G5 laptop", DeviceType.CHROMEBOOK),
        ("all_in_one", DeviceType.ALL_IN_ONE),
    ],
)
def test_device_types_are_read_from_the_words_donors_use(text: str, device_type: str) -> None:
    assert parse_device_type(text) == (device_type, None, None)


def test_an_unknown_device_type_is_kept_as_other_with_a_warning() -> None:
    assert parse_device_type("Monitor") == (
        DeviceType.OTHER,
        None,
        'device type "Monitor" is not one we know; recorded as other',
    )


def test_an_empty_device_type_is_none() -> None:
    assert parse_device_type("").value is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2019-03-14", date(2019, 3, 14)),
        ("2019/03/14", date(2019, 3, 14)),
        ("2019-03-14 09:30:00", date(2019, 3, 14)),
        ("2019-03-14T09:30:00Z", date(2019, 3, 14)),
        ("14/03/2019", date(2019, 3, 14)),
        ("4/3/2019", date(2019, 3, 4)),  # both readings work: the UK one wins
        ("04/03/2019", date(2019, 3, 4)),
        ("14-03-2019", date(2019, 3, 14)),
        ("14.03.2019", date(2019, 3, 14)),
        ("14/03/19", date(2019, 3, 14)),
        ("03/14/2019", date(2019, 3, 14)),  # only the US reading is a real date
        ("14/03/2019 10:15", date(2019, 3, 14)),
        ("14 Mar 2019", date(2019, 3, 14)),
        ("14 March 2019", date(2019, 3, 14)),
        ("14-Mar-19", date(2019, 3, 14)),
        ("1st Sept 2018", date(2018, 9, 1)),
        ("Mar 14, 2019", date(2019, 3, 14)),
        ("March 14 2019", date(2019, 3, 14)),
        ("43538", date(2019, 3, 14)),  # an Excel serial day number
        ("43538.5", date(2019, 3, 14)),
        ("20190314", date(2019, 3, 14)),
        ("", None),
        ("n/a", None),
    ],
)
def test_purchase_dates_are_read_in_many_formats(text: str, expected: date | None) -> None:
    assert parse_purchase_date(text, TODAY) == (expected, None, None)


@pytest.mark.parametrize(
    ("text", "expected", "warning"),
    [
        ("March 2019", date(2019, 3, 1), 'purchase date "March 2019" has no day; used the 1st'),
        ("2019", date(2019, 1, 1), 'purchase date "2019" is only a year; used 1 January'),
    ],
)
def test_a_partial_purchase_date_is_kept_with_a_warning(text: str, expected: date, warning: str) -> None:
    assert parse_purchase_date(text, TODAY) == (expected, None, warning)


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("31/02/2019", 'purchase date "31/02/2019" is not a real date'),
        ("2019-13-01", 'purchase date "2019-13-01" is not a real date'),
        ("13/13/2019", 'purchase date "13/13/2019" is not a real date'),
        ("02/06/2024", 'purchase date "02/06/2024" is in the future'),
        ("2031-01-01", 'purchase date "2031-01-01" is in the future'),
        ("1905-07-11", 'purchase date "1905-07-11" is before 1980; check it'),
        ("soon", 'purchase date "soon" is not a date we can read (write it as dd/mm/yyyy)'),
        ("32 Foo 2019", 'purchase date "32 Foo 2019" is not a date we can read (write it as dd/mm/yyyy)'),
    ],
)
def test_impossible_future_and_unreadable_purchase_dates_are_errors(text: str, error: str) -> None:
    assert parse_purchase_date(text, TODAY) == (None, error, None)


def test_today_itself_is_not_in_the_future() -> None:
    assert parse_purchase_date("01/06/2024", TODAY).value == TODAY
