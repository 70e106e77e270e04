"""Cell values: from what a donor typed to typed, normalised values.

Each parser takes the cleaned text of one cell and returns a `Parsed`: the value (None when the cell is
empty or unusable), plus at most one error (the row is rejected) and one warning (the row is kept). Parsers
are pure and cached, because a register repeats the same RAM, storage, type and date values thousands of
times.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from functools import lru_cache
from itertools import pairwise
from typing import Generic, NamedTuple, TypeVar

from devicebank.devices.models import DeviceType, StorageKind

T = TypeVar("T")

# Characters a spreadsheet or a copy from a web page leaves in cells that a person cannot see.
_INVISIBLE = str.maketrans(
    {
        "\u200b": None,  # zero-width space
        "\u200c": None,  # zero-width non-joiner
        "\u200d": None,  # zero-width joiner
        "\u2060": None,  # word joiner
        "\ufeff": None,  # byte-order mark / zero-width no-break space
        "\u00ad": None,  # soft hyphen
        "\u00a0": " ",  # no-break space
        "\u2007": " ",  # figure space
        "\u202f": " ",  # narrow no-break space
    }
)

# What donors type in an optional cell to mean "nothing here" (compared lower-cased).
EMPTY_MARKERS = frozenset(
    {
        "",
        "-",
        "--",
        "---",
        "—",
        "–",
        "n/a",
        "na",
        "n.a.",
        "#n/a",
        "none",
        "nil",
        "null",
        "unknown",
        "?",
        "tbc",
    }
)


class Parsed(NamedTuple, Generic[T]):
    """One cell read: its value (None when empty or unusable), and the reason for rejecting or warning."""

    value: T | None
    error: str | None = None
    warning: str | None = None


def clean_text(raw: str) -> str:
    """Trim the cell and drop invisible characters (no-break spaces become spaces); keep inner newlines."""
    if not raw.isascii():
        raw = raw.translate(_INVISIBLE)
    return raw.strip()


def clean_line(raw: str) -> str:
    """`clean_text` with every run of whitespace (newlines too) collapsed to one space."""
    text = clean_text(raw)
    if "  " in text or not text.isprintable():
        return " ".join(text.split())
    return text


def is_empty_marker(text: str) -> bool:
    return text.lower() in EMPTY_MARKERS


# --- sizes -------------------------------------------------------------------------------------------------

UNIT_NAMES = {
    "k": "KB",
    "kb": "KB",
    "kib": "KiB",
    "m": "MB",
    "mb": "MB",
    "mib": "MiB",
    "g": "GB",
    "gb": "GB",
    "gib": "GiB",
    "t": "TB",
    "tb": "TB",
    "tib": "TiB",
    "byte": "B",
    "bytes": "B",
}
_BINARY = {"B": 1, "KB": 2**10, "MB": 2**20, "GB": 2**30, "TB": 2**40}
_DECIMAL = {"B": 1, "KB": 10**3, "MB": 10**6, "GB": 10**9, "TB": 10**12}
_IEC = {"KiB": 2**10, "MiB": 2**20, "GiB": 2**30, "TiB": 2**40}

# "8 GB", "8GB", "8", "16,384 MB", "1.5TB", "2 x 4GB", "8589934592 bytes". The unit must not run into a
# word ("2666MHz" is not 2666 MB).
_SIZE = re.compile(
    r"(?:(?P<count>\d{1,2})\s*[x×*]\s*)?"
    r"(?P<number>\d+(?:[.,]\d+)*)\s*"
    r"(?:(?P<unit>[kmgt]i?b?|bytes?)(?![a-z]))?",
    re.IGNORECASE,
)
_THOUSANDS = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?")

_MAX_RAM = 4 * 2**40
_MAX_STORAGE = 10**15


class _Size(NamedTuple):
    amount: float
    unit: str | None  # one of UNIT_NAMES' values ("GB", "GiB"), or None for a bare number


def _number(text: str) -> float | None:
    if _THOUSANDS.fullmatch(text):
        text = text.replace(",", "")
    elif text.count(",") == 1 and "." not in text:
        text = text.replace(",", ".")  # decimal comma: "1,5 TB"
    try:
        return float(text)
    except ValueError:
        return None


def _sizes(text: str) -> list[_Size]:
    sizes = []
    for match in _SIZE.finditer(text):
        amount = _number(match["number"])
        if amount is None:
            continue
        if match["count"]:
            amount *= int(match["count"])
        unit = match["unit"]
        sizes.append(_Size(amount, UNIT_NAMES.get(unit.lower()) if unit else None))
    return sizes


def _size_bytes(size: _Size, *, decimal: bool) -> int:
    unit = size.unit or "B"
    factor = _IEC.get(unit) or (_DECIMAL if decimal else _BINARY)[unit]
    return round(size.amount * factor)


def header_unit(header: str) -> str | None:
    """The size unit a header gives its column ("RAM (GB)" -> "GB", "Storage in TiB" -> "TiB"), if any."""
    for token in re.findall(r"[a-z]+", header.lower()):
        if token in {"kb", "mb", "gb", "tb", "kib", "mib", "gib", "tib", "bytes"}:
            return UNIT_NAMES[token]
    return None


@lru_cache(maxsize=1024)
def parse_ram(text: str, unit: str | None = None) -> Parsed[int]:
    """RAM in bytes. GB means GiB, as memory is always sold in powers of two.

    A bare number takes the column's unit (`unit`, from the header); failing that, up to 256 is GB and
    from 512 up is MB; anything between is too ambiguous to guess.
    """
    if is_empty_marker(text):
        return Parsed(None)
    sizes = _sizes(text)
    if not sizes:
        return Parsed(None, f'RAM "{text}" is not a size such as "8 GB"')
    size = next((s for s in sizes if s.unit), sizes[0])
    if size.unit is None:
        if unit:
            size = _Size(size.amount, unit)
        elif size.amount <= 256:
            size = _Size(size.amount, "GB")
        elif size.amount >= 512:
            size = _Size(size.amount, "MB")
        else:
            return Parsed(None, warning=f'RAM "{text}" has no unit and could be GB or MB; left blank')
    if size.amount == 0:
        return Parsed(None, warning=f'RAM "{text}" is zero; left blank')
    value = _size_bytes(size, decimal=False)
    if value > _MAX_RAM:
        return Parsed(None, f'RAM "{text}" is more than any computer has (check the unit)')
    return Parsed(value)


@lru_cache(maxsize=1024)
def parse_storage(text: str, unit: str | None = None) -> Parsed[tuple[int | None, str | None]]:
    """Storage in bytes and the kind of drive, from "256GB SSD", "1TB HDD", "512 GB NVMe", "2 x 256GB".

    GB and TB are decimal, as drive makers label them (GiB and TiB are binary). "256GB SSD + 1TB HDD"
    adds up. A bare number takes the column's unit; failing that, from 16 up is GB.
    """
    if is_empty_marker(text):
        return Parsed(None)
    kind = storage_kind_from_words(text)
    sizes = _sizes(text)
    with_unit = [s for s in sizes if s.unit]
    if with_unit:
        joined = re.search(r"\+|&|\band\b", text, re.IGNORECASE) is not None
        total = sum(_size_bytes(s, decimal=True) for s in (with_unit if joined else with_unit[:1]))
    elif sizes:
        size = sizes[0]
        if unit:
            total = _size_bytes(_Size(size.amount, unit), decimal=True)
        elif size.amount >= 16:
            total = _size_bytes(_Size(size.amount, "GB"), decimal=True)
        else:
            return Parsed(
                (None, kind), warning=f'storage "{text}" has no unit and could be GB or TB; size left blank'
            )
    elif kind is not None:
        return Parsed((None, kind))
    else:
        return Parsed(None, f'storage "{text}" is not a size such as "256 GB SSD"')
    if total == 0:
        return Parsed((None, kind), warning=f'storage "{text}" is zero; size left blank')
    if total > _MAX_STORAGE:
        return Parsed(None, f'storage "{text}" is more than any computer has (check the unit)')
    return Parsed((total, kind))


def storage_kind_from_words(text: str) -> str | None:
    """The `StorageKind` value (SSD, HDD, NVMe, eMMC) the words of a storage description name, or None."""
    lower = text.lower()
    if "nvme" in lower or "pcie" in lower:
        return StorageKind.NVME.value
    if "emmc" in lower:
        return StorageKind.EMMC.value
    if any(word in lower for word in ("ssd", "solid state", "m.2", "msata", "flash")):
        return StorageKind.SSD.value
    if any(word in lower for word in ("hdd", "sshd", "hard d", "rpm", "spinning")):
        return StorageKind.HDD.value
    return None


@lru_cache(maxsize=256)
def parse_storage_kind(text: str) -> Parsed[str]:
    if is_empty_marker(text):
        return Parsed(None)
    kind = storage_kind_from_words(text)
    if kind is None:
        return Parsed(None, warning=f'storage type "{text}" is not SSD, HDD, NVMe or eMMC; left blank')
    return Parsed(kind)


# --- device type -------------------------------------------------------------------------------------------

# Checked in order: the first rule whose word appears wins, so "Chromebook laptop" is a Chromebook,
# "AIO desktop" an all-in-one, "Tablet PC" a tablet and "Mobile workstation" a laptop.
_TYPE_RULES: list[tuple[DeviceType, frozenset[str]]] = [
    (DeviceType.CHROMEBOOK, frozenset({"chromebook", "chromebooks"})),
    (DeviceType.ALL_IN_ONE, frozenset({"aio", "allinone", "imac"})),
    (DeviceType.LAPTOP, frozenset({"mobileworkstation"})),
    (DeviceType.TABLET, frozenset({"tablet", "tablets", "ipad", "ipads", "slate"})),
    (
        DeviceType.PHONE,
        frozenset({"phone", "phones", "mobile", "smartphone", "smartphones", "iphone", "handset"}),
    ),
    (
        DeviceType.LAPTOP,
        frozenset({"laptop", "laptops", "notebook", "notebooks", "ultrabook", "netbook", "macbook", "2in1"}),
    ),
    (
        DeviceType.DESKTOP,
        frozenset(
            {
                "desktop",
                "desktops",
                "pc",
                "pcs",
                "tower",
                "sff",
                "usff",
                "workstation",
                "minipc",
                "thinclient",
            }
        ),
    ),
    (DeviceType.OTHER, frozenset({"other"})),
]


@lru_cache(maxsize=512)
def parse_device_type(text: str) -> Parsed[str]:
    """The `DeviceType` value for the words donors use; an unknown type is "other", with a warning."""
    if is_empty_marker(text):
        return Parsed(None)
    tokens = re.findall(r"[a-z0-9]+", text.lower())
    words = set(tokens)
    # Joined neighbours catch "All-in-one", "2-in-1", "Mini PC", "Mobile workstation", "Smart phone".
    words.update(a + b for a, b in pairwise(tokens))
    words.update(a + b + c for a, b, c in zip(tokens, tokens[1:], tokens[2:], strict=False))
    if "smartphone" in words:
        words.add("phone")
    for device_type, names in _TYPE_RULES:
        if words & names:
            return Parsed(device_type.value)
    return Parsed(
        DeviceType.OTHER.value, warning=f'device type "{text}" is not one we know; recorded as other'
    )


# --- dates -------------------------------------------------------------------------------------------------

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}
_TIME = r"(?:[ t]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:am|pm|z|[+-]\d{2}:?\d{2})?)?"
_ISO = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})" + _TIME)
_NUMERIC = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4}|\d{2})" + _TIME)
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")
_DAY_MONTH_YEAR = re.compile(
    r"(\d{1,2})(?:st|nd|rd|th)?[\s\-/.,]*([a-z]{3,9})\.?[\s\-/.,]*(\d{4}|\d{2})" + _TIME
)
_MONTH_DAY_YEAR = re.compile(r"([a-z]{3,9})\.?\s*(\d{1,2})(?:st|nd|rd|th)?,?\s*(\d{4})" + _TIME)
_MONTH_YEAR = re.compile(r"([a-z]{3,9})\.?[\s\-/.,]*(\d{4})")
_EXCEL_SERIAL = re.compile(r"\d{5}(?:\.\d+)?")
_YEAR = re.compile(r"(?:19|20)\d{2}")
_EXCEL_EPOCH = date(1899, 12, 30)  # day 0 of Excel's 1900 date system, allowing for its 1900 leap-year bug
EARLIEST_PURCHASE = date(1980, 1, 1)


def _full_year(year: int, today: date) -> int:
    if year >= 100:
        return year
    return 2000 + year if 2000 + year <= today.year else 1900 + year


def _make_date(year: int, month: int, day: int, text: str) -> Parsed[date]:
    try:
        return Parsed(date(year, month, day))
    except ValueError:
        return Parsed(None, f'purchase date "{text}" is not a real date')


def _read_date(text: str, today: date) -> Parsed[date]:
    lower = text.lower()
    if match := _ISO.fullmatch(lower):
        return _make_date(int(match[1]), int(match[2]), int(match[3]), text)
    if match := _NUMERIC.fullmatch(lower):
        first, second, year = int(match[1]), int(match[2]), _full_year(int(match[3]), today)
        if first <= 12 < second:
            return _make_date(year, first, second, text)  # mm/dd/yyyy: only reading that works
        return _make_date(year, second, first, text)  # dd/mm/yyyy, the UK reading
    if _EXCEL_SERIAL.fullmatch(lower):
        return Parsed(_EXCEL_EPOCH + timedelta(days=int(float(lower))))
    if match := _COMPACT.fullmatch(lower):
        return _make_date(int(match[1]), int(match[2]), int(match[3]), text)
    if (match := _DAY_MONTH_YEAR.fullmatch(lower)) and match[2] in _MONTHS:
        return _make_date(_full_year(int(match[3]), today), _MONTHS[match[2]], int(match[1]), text)
    if (match := _MONTH_DAY_YEAR.fullmatch(lower)) and match[1] in _MONTHS:
        return _make_date(int(match[3]), _MONTHS[match[1]], int(match[2]), text)
    if (match := _MONTH_YEAR.fullmatch(lower)) and match[1] in _MONTHS:
        parsed = _make_date(int(match[2]), _MONTHS[match[1]], 1, text)
        return parsed._replace(warning=f'purchase date "{text}" has no day; used the 1st')
    if _YEAR.fullmatch(lower):
        return Parsed(
            date(int(lower), 1, 1), warning=f'purchase date "{text}" is only a year; used 1 January'
        )
    return Parsed(None, f'purchase date "{text}" is not a date we can read (write it as dd/mm/yyyy)')


@lru_cache(maxsize=4096)
def parse_purchase_date(text: str, today: date) -> Parsed[date]:
    """A purchase date from ISO, UK dd/mm/yyyy (also with - or .), "14 Mar 2019", "Mar 14, 2019",
    "March 2019", a year, or an Excel serial day number.

    Day and month are read the UK way unless only the US reading is a real date ("03/14/2019"). Dates in
    the future, before 1980 or that do not exist are errors.
    """
    if is_empty_marker(text):
        return Parsed(None)
    parsed = _read_date(text, today)
    if parsed.value is None:
        return parsed
    if parsed.value > today:
        return Parsed(None, f'purchase date "{text}" is in the future')
    if parsed.value < EARLIEST_PURCHASE:
        return Parsed(None, f'purchase date "{text}" is before 1980; check it')
    return parsed
