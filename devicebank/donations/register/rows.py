"""From a table and a header mapping to validated register rows.

Nothing here raises for a bad cell: each problem becomes an error (the row is rejected, with the reason) or
a warning (the row is kept) on its `RegisterRow`, so a person gets one report for the whole file.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils import timezone

from devicebank.devices.identity import canonical_manufacturer, manufacturer_key, serial_key
from devicebank.donations.register.errors import RegisterFileError
from devicebank.donations.register.fields import REGISTER_FIELDS, HeaderMapping, column_name
from devicebank.donations.register.table import Table, cyclic_gc_paused
from devicebank.donations.register.values import (
    Parsed,
    clean_line,
    clean_text,
    header_unit,
    is_empty_marker,
    parse_device_type,
    parse_purchase_date,
    parse_ram,
    parse_storage,
    parse_storage_kind,
)

# The longest values the device records hold (devices.models.Device).
MAX_LENGTHS = {
    "serial_number": 100,
    "manufacturer": 100,
    "model": 200,
    "asset_tag": 100,
    "cpu_model": 200,
    "notes": 2000,
}


@dataclass(slots=True)
class RegisterRow:
    """One device row of a register.

    Attributes:
        line: the line (CSV) or row (XLSX) number a person sees in the file.
        raw: header -> the cell as it was in the file.
        values: every register field -> its typed, normalised value, None when missing. serial_number and
            asset_tag are strings, manufacturer is canonical ("Dell"), device_type a `DeviceType` value,
            storage_kind a `StorageKind` value ("ssd"), ram_bytes and storage_bytes ints, purchase_date a date.
        errors: why the row is rejected (empty when it can be imported).
        warnings: what was assumed or left out; the row is still imported.
        serial_key, manufacturer_key: the matching keys (`devices.identity`) the uniqueness rule uses, for
            the check against stock; serial_key is None without a usable serial.
    """

    line: int
    raw: Mapping[str, str]
    values: dict[str, Any]
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    serial_key: str | None = None
    manufacturer_key: str = ""

    @property
    def ok(self) -> bool:
        return not self.errors


_Reader = Callable[[str, str | None, date], Parsed[Any]]


def _too_long(name: str) -> Parsed[Any]:
    return Parsed(None, f"{REGISTER_FIELDS[name].lower()} is longer than {MAX_LENGTHS[name]} characters")


def _read_serial(raw: str) -> tuple[Parsed[str], str | None]:
    """The serial as printed and its matching key (`devices.identity.serial_key`), computed once."""
    text = clean_line(raw)  # what `clean_serial` would return, when the serial is not a placeholder
    if not text:
        return Parsed(None), None
    key = serial_key(text)
    if key is None:
        return Parsed(None, warning=f'serial is a placeholder ("{text}"); treated as missing'), None
    if len(text) > MAX_LENGTHS["serial_number"]:
        return _too_long("serial_number"), None
    return Parsed(text), key


def _read_manufacturer(raw: str, _unit: str | None, _today: date) -> Parsed[str]:
    text = clean_line(raw)
    if is_empty_marker(text):
        return Parsed(None)
    name = canonical_manufacturer(text)
    if not name:
        return Parsed(None, warning=f'manufacturer is a placeholder ("{text}"); left blank')
    if len(name) > MAX_LENGTHS["manufacturer"]:
        return _too_long("manufacturer")
    return Parsed(name)


def _text_reader(name: str) -> _Reader:
    def read(raw: str, _unit: str | None, _today: date) -> Parsed[str]:
        text = clean_line(raw)
        if is_empty_marker(text):
            return Parsed(None)
        if len(text) > MAX_LENGTHS[name]:
            return _too_long(name)
        return Parsed(text)

    return read


def _read_notes(raw: str, _unit: str | None, _today: date) -> Parsed[str]:
    text = clean_text(raw).replace("\r\n", "\n").replace("\r", "\n")  # notes keep their line breaks
    if not text:
        return Parsed(None)
    if len(text) > MAX_LENGTHS["notes"]:
        return _too_long("notes")
    return Parsed(text)


_READERS: dict[str, _Reader] = {
    "manufacturer": _read_manufacturer,
    "model": _text_reader("model"),
    "asset_tag": _text_reader("asset_tag"),
    "device_type": lambda raw, _unit, _today: parse_device_type(clean_line(raw)),
    "cpu_model": _text_reader("cpu_model"),
    "ram_bytes": lambda raw, unit, _today: parse_ram(clean_line(raw), unit),
    "storage_bytes": lambda raw, unit, _today: parse_storage(clean_line(raw), unit),
    "storage_kind": lambda raw, _unit, _today: parse_storage_kind(clean_line(raw)),
    "purchase_date": lambda raw, _unit, today: parse_purchase_date(clean_line(raw), today),
    "notes": _read_notes,
}


# Columns whose values repeat down a register: each distinct cell is read once per file.
_REPEATING = frozenset(_READERS) - {"asset_tag", "notes"}
_ORDER = {name: position for position, name in enumerate(REGISTER_FIELDS)}
_DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}


def _raw_keys(headers: list[str]) -> list[str]:
    """Headers made unique for `RegisterRow.raw`: a repeated name gets its column letter."""
    seen: set[str] = set()
    keys = []
    for index, header in enumerate(headers):
        key = header if header not in seen else f"{header} (column {column_name(index)})"
        seen.add(key)
        keys.append(key)
    return keys


class _RawCells(Mapping[str, str]):
    """A row's cells by header, read from the row's own cell list: a dict per row of a 200,000-row register
    cost more memory than the rest of the row. Used for rows as wide as the header (others get a dict)."""

    __slots__ = ("_cells", "_index")

    def __init__(self, index: dict[str, int], cells: list[str]) -> None:
        self._index, self._cells = index, cells

    def __getitem__(self, key: str) -> str:
        return self._cells[self._index[key]]

    def __iter__(self) -> Iterator[str]:
        return iter(self._index)

    def __len__(self) -> int:
        return len(self._index)

    def __repr__(self) -> str:
        return repr(dict(self))


_TAG_SEPARATORS = str.maketrans("", "", " -_./:#")


def _tag_key(tag: str) -> str:
    """Asset tags match ignoring case and separators ("bar 001" is "BAR-001"); the tag is already clean_line'd."""
    return tag.translate(_TAG_SEPARATORS).upper()


class _RowParser:
    """Reads the rows of one table under one mapping, remembering what it has seen for duplicates.

    Speed matters (a council can give 100,000 rows), so each distinct cell of a repeating column is read
    once (`memos`), and the loop is kept flat.
    """

    def __init__(self, table: Table, mapping: HeaderMapping, today: date) -> None:
        self.table = table
        self.today = today
        self.keys = _raw_keys(table.headers)
        self.key_index = {key: position for position, key in enumerate(self.keys)}
        self.serial_at = mapping.columns.get("serial_number")
        self.readers: list[tuple[str, int, _Reader, str | None, dict[str, Parsed[Any]] | None]] = [
            (
                name,
                index,
                _READERS[name],
                header_unit(table.headers[index]),
                {} if name in _REPEATING else None,
            )
            for name, index in sorted(mapping.columns.items(), key=lambda item: _ORDER[item[0]])
            if name != "serial_number"
        ]
        self.maker_keys: dict[str | None, str] = {}
        self.first_serial: dict[tuple[str, str], int] = {}
        self.first_tag: dict[str, int] = {}

    def parse(self, line: int, cells: list[str]) -> RegisterRow:
        count = len(cells)
        row = RegisterRow(line=line, raw=_RawCells(self.key_index, cells), values=dict.fromkeys(_ORDER))
        values, errors, warnings = row.values, row.errors, row.warnings
        if count != len(self.keys):
            row.raw = dict(zip(self.keys, cells, strict=False))
            _check_width(row, cells, self.table, self.keys)
        key = None
        if self.serial_at is not None:
            (values["serial_number"], error, warning), key = _read_serial(
                cells[self.serial_at] if self.serial_at < count else ""
            )
            if error:
                errors.append(error)
            if warning:
                warnings.append(warning)
        for name, index, read, unit, memo in self.readers:
            cell = cells[index] if index < count else ""
            if memo is None:
                parsed = read(cell, unit, self.today)
            elif (parsed := memo.get(cell)) is None:  # type: ignore[assignment]
                parsed = memo[cell] = read(cell, unit, self.today)
            values[name], error, warning = parsed
            if error:
                errors.append(error)
            if warning:
                warnings.append(warning)
        if (storage := values["storage_bytes"]) is not None:
            values["storage_bytes"], kind = storage
            if values["storage_kind"] is None:  # a storage-type column beats words in the storage column
                values["storage_kind"] = kind
        self._check_identity(row, key)
        return row

    def _check_identity(self, row: RegisterRow, key: str | None) -> None:
        serial, tag = row.values["serial_number"], row.values["asset_tag"]
        if serial is None and tag is None:
            row.errors.append("no serial number or asset tag: a row needs at least one")
        maker = row.values["manufacturer"]
        if maker not in self.maker_keys:
            self.maker_keys[maker] = manufacturer_key(maker)
        row.manufacturer_key, row.serial_key = self.maker_keys[maker], key
        if key is not None:
            first = self.first_serial.setdefault((row.manufacturer_key, key), row.line)
            if first != row.line:
                row.errors.append(f'serial number "{serial}" is already on line {first}')
        if tag is not None:
            first = self.first_tag.setdefault(_tag_key(tag), row.line)
            if first != row.line:
                row.errors.append(f'asset tag "{tag}" is already on line {first}')


def _check_width(row: RegisterRow, cells: list[str], table: Table, keys: list[str]) -> None:
    """Pad a short row's raw cells, keep a long row's extra cells, and say what is wrong with its width."""
    width = len(keys)
    raw = dict(row.raw)
    raw.update({key: "" for key in keys[len(cells) :]})
    raw.update({f"Column {column_name(i)}": cells[i] for i in range(width, len(cells)) if cells[i]})
    row.raw = raw
    if len(cells) > width and any(clean_text(cell) for cell in cells[width:]):
        if table.format == "xlsx":
            row.errors.append(f"has values in columns with no header (from column {column_name(width)})")
        else:
            row.errors.append(
                f"has {len(cells)} cells but the header has {width} columns: a value probably contains an "
                f"unquoted {_DELIMITER_NAMES.get(table.delimiter or ',', 'delimiter')}"
            )
    elif len(cells) < width:
        row.warnings.append(
            f"has {len(cells)} cells but the header has {width}; the missing cells were read as empty"
        )


def parse_rows(table: Table, mapping: HeaderMapping, *, today: date | None = None) -> list[RegisterRow]:
    """Validate and type every row of the table under the mapping.

    A row is rejected (has errors) when it has neither a serial number nor an asset tag, repeats an
    earlier row's manufacturer and serial or its asset tag, has a cell that cannot be read, or has values
    beyond the last header.

    Args:
        table: from `read_table`.
        mapping: from `guess_mapping` or `apply_mapping_choice`.
        today: the date purchase dates may not be after (defaults to today in the site's time zone).

    Raises:
        RegisterFileError: the mapping still has problems (it never raises for a bad cell).
    """
    if mapping.problems:
        raise RegisterFileError(" ".join(mapping.problems))
    for name, index in mapping.columns.items():
        if name not in REGISTER_FIELDS or not 0 <= index < len(table.headers):
            raise ValueError(f"mapping column {name!r} -> {index} does not fit this table")
    parser = _RowParser(table, mapping, today or timezone.localdate())
    with cyclic_gc_paused():
        return [parser.parse(table.line_of(number), cells) for number, cells in enumerate(table.rows)]
