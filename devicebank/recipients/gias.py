"""Reading a Get Information About Schools (GIAS) establishment CSV into checked rows. No database access.

A GIAS download has 130+ quoted columns in an order that changes between downloads; devicebank reads the ones it
needs by name (docs/recipients.md lists them) and ignores the rest. Dates are dd-mm-yyyy, LA codes three-digit
strings, names carry apostrophes, older downloads are Windows-1252 and newer ones may start with a UTF-8 BOM.

A column that is absent means "not known": a re-import leaves that field as it was. A column that is present but
blank means "none" (a CloseDate blank for an open school).

    file = read_gias(data)          # GiasFileError when the file as a whole cannot be used
    for row in file.rows:           # each row has .values, or .error saying why it is refused
        ...
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from devicebank.core.errors import DomainError
from devicebank.core.textfiles import TextFileError, decode_text
from devicebank.places.postcodes import format_postcode, postcode_key

MAX_ROWS = 200_000  # every establishment GIAS has ever listed is about 70,000


class GiasFileError(DomainError):
    """The file as a whole cannot be imported; the message says why and what to do."""

    code = "gias_file"


# GIAS header -> our field. Headers are compared without case or extra spaces.
COLUMNS: dict[str, str] = {
    "URN": "urn",
    "LA (code)": "la_code",
    "LA (name)": "la_name",
    "EstablishmentNumber": "establishment_number",
    "EstablishmentName": "name",
    "TypeOfEstablishment (name)": "type_name",
    "EstablishmentTypeGroup (name)": "type_group",
    "EstablishmentStatus (name)": "status",
    "OpenDate": "opened_on",
    "CloseDate": "closed_on",
    "PhaseOfEducation (name)": "phase",
    "StatutoryLowAge": "low_age",
    "StatutoryHighAge": "high_age",
    "NumberOfPupils": "pupils",
    "PercentageFSM": "fsm_percent",
    "Trusts (code)": "trust_code",
    "Trusts (name)": "trust_name",
    "UKPRN": "ukprn",
    "Street": "street",
    "Town": "town",
    "Postcode": "postcode",
    "LSOA (code)": "lsoa",
    "MSOA (code)": "msoa",
    "DistrictAdministrative (code)": "district_code",
    "DistrictAdministrative (name)": "district_name",
}
REQUIRED = ("URN", "EstablishmentName", "LA (code)")
INDEPENDENT_GROUP = "Independent schools"
CLOSED = "Closed"
# Values DfE publications use for "not available" or "suppressed" in numeric columns.
NOT_AVAILABLE = frozenset({"", "supp", "x", "c", "z", ".", ":", "n/a", "na", "ne", "null"})
_AREA = re.compile(r"^[EWSN]\d{8}$")
_TEXT_LIMITS = {
    "name": 200,
    "la_name": 100,
    "establishment_number": 8,
    "type_name": 100,
    "type_group": 100,
    "status": 60,
    "phase": 60,
    "trust_code": 16,
    "trust_name": 200,
    "ukprn": 8,
    "street": 200,
    "town": 100,
    "district_name": 100,
}


def _norm(header: str) -> str:
    return " ".join(header.replace("\ufeff", "").split()).casefold()


_BY_HEADER = {_norm(header): name for header, name in COLUMNS.items()}


@dataclass
class GiasRow:
    """One establishment. `values` holds the fields whose columns the file has (None = blank); `error` is why
    the row is refused, or None. `outcome` is filled by the check against the database."""

    row: int
    values: dict[str, Any]
    error: str | None = None
    warnings: list[str] = field(default_factory=list)
    outcome: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def urn(self) -> int | None:
        value = self.values.get("urn")
        return value if isinstance(value, int) else None

    def as_json(self) -> dict[str, Any]:
        """The `--json` line for this row: exactly these keys, numbers as numbers, dates ISO, unknown as null."""
        v = self.values
        opened = v.get("opened_on")
        fsm = v.get("fsm_percent")
        return {
            "row": self.row,
            "urn": self.urn,
            "name": v.get("name"),
            "la_code": v.get("la_code"),
            "la_name": v.get("la_name"),
            "type": v.get("type_name"),
            "phase": v.get("phase"),
            "status": v.get("status"),
            "postcode": v.get("postcode"),
            "lsoa": v.get("lsoa"),
            "pupils": v.get("pupils"),
            "fsm_percent": float(fsm) if isinstance(fsm, Decimal) else None,
            "opened_on": opened.isoformat() if isinstance(opened, dt.date) else None,
            "error": self.error,
        }


@dataclass
class GiasFile:
    encoding: str
    columns: frozenset[str]  # our field names the file has
    rows: list[GiasRow]
    ignored_headers: int = 0
    warnings: list[str] = field(default_factory=list)


def read_gias(data: bytes) -> GiasFile:
    """Read a GIAS establishment CSV (bytes: UTF-8 with or without BOM, Windows-1252, or gzip of either).

    Raises:
        GiasFileError: not text, not CSV, no header, a required column missing, or too many rows.
    """
    try:
        text, encoding = decode_text(data)
    except TextFileError as exc:
        raise GiasFileError(exc.message) from exc
    records = csv.reader(io.StringIO(text, newline=""), strict=False)
    try:
        header = next((cells for cells in records if any(c.strip() for c in cells)), None)
        if header is None:
            raise GiasFileError(
                "The file is empty. Download the establishment fields CSV from GIAS and upload that."
            )
        index = _map_headers(header)
        rows: list[GiasRow] = []
        seen: dict[int, int] = {}
        for number, cells in enumerate(records, start=2):
            if not any(cell.strip() for cell in cells):
                continue
            if len(rows) >= MAX_ROWS:
                raise GiasFileError(
                    f"The file has more than {MAX_ROWS:,} establishments: split it and try again."
                )
            row = parse_row(number, cells, index)
            urn = row.urn
            if row.ok and urn is not None:
                if urn in seen:
                    row.error = f"URN {urn} appears again (first on row {seen[urn]})"
                else:
                    seen[urn] = number
            rows.append(row)
    except csv.Error as exc:
        raise GiasFileError(
            f"The file could not be read as CSV ({exc}). Download it from GIAS again."
        ) from exc
    warnings = []
    if encoding == "windows-1252":
        warnings.append("The file is not UTF-8; it was read as Windows-1252 (older GIAS downloads are).")
    if not rows:
        raise GiasFileError("The file has a header but no establishments below it.")
    return GiasFile(
        encoding=encoding,
        columns=frozenset(index),
        rows=rows,
        ignored_headers=len(header) - len(index),
        warnings=warnings,
    )


def _map_headers(header: list[str]) -> dict[str, int]:
    index: dict[str, int] = {}
    for position, cell in enumerate(header):
        name = _BY_HEADER.get(_norm(cell))
        if name is not None and name not in index:
            index[name] = position
    missing = [h for h in REQUIRED if COLUMNS[h] not in index]
    if missing:
        raise GiasFileError(
            f"The file has no {', '.join(missing)} column. Expected a GIAS establishment download "
            "(Get Information About Schools: Download, establishment fields, CSV)."
        )
    return index


def parse_row(number: int, cells: list[str], index: dict[str, int]) -> GiasRow:
    """One record into typed values; never raises. The first unreadable value refuses the row."""
    row = GiasRow(row=number, values={})
    for name, position in index.items():
        raw = cells[position].strip() if position < len(cells) else ""
        try:
            row.values[name] = _PARSERS.get(name, _text)(raw, name, row)
        except ValueError as exc:
            if row.error is None:
                row.error = str(exc)
    if row.error is None and not row.values.get("name"):
        row.error = "EstablishmentName is blank"
    return row


def _text(raw: str, name: str, row: GiasRow) -> str | None:
    if not raw:
        return None
    limit = _TEXT_LIMITS.get(name, 100)
    if len(raw) > limit:
        raise ValueError(f"{_header_of(name)} is over {limit} characters")
    return raw


def _header_of(name: str) -> str:
    return next(header for header, field_name in COLUMNS.items() if field_name == name)


def _urn(raw: str, name: str, row: GiasRow) -> int:
    if not raw:
        raise ValueError("URN is blank")
    if not raw.isdigit() or len(raw) > 8 or int(raw) == 0:
        raise ValueError(f"URN {raw!r} is not a URN (a whole number like 100000)")
    return int(raw)


def _la_code(raw: str, name: str, row: GiasRow) -> str | None:
    if not raw:
        return None
    if not raw.isdigit() or len(raw) > 3:
        raise ValueError(f"LA (code) {raw!r} is not a three-digit code like 207")
    return raw.zfill(3)  # a spreadsheet that dropped the leading zero of "020"


def _date(raw: str, name: str, row: GiasRow) -> dt.date | None:
    if not raw:
        return None
    for pattern in ("%d-%m-%Y", "%d/%m/%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(raw, pattern).date()  # noqa: DTZ007 - a calendar date, no time
        except ValueError:
            continue
    raise ValueError(f"{_header_of(name)} {raw!r} is not a date (dd-mm-yyyy)")


def _count(raw: str, name: str, row: GiasRow) -> int | None:
    text = raw.replace(",", "")
    if text.casefold() in NOT_AVAILABLE:
        return None
    if not text.isdigit() or len(text) > 7:
        raise ValueError(f"{_header_of(name)} {raw!r} is not a whole number")
    return int(text)


def _age(raw: str, name: str, row: GiasRow) -> int | None:
    value = _count(raw, name, row)
    if value is not None and value > 99:
        raise ValueError(f"{_header_of(name)} {raw!r} is not an age")
    return value


def _percent(raw: str, name: str, row: GiasRow) -> Decimal | None:
    text = raw.rstrip("%").strip()
    if text.casefold() in NOT_AVAILABLE:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        value = Decimal("NaN")
    if not value.is_finite() or not 0 <= value <= 100:
        raise ValueError(f"PercentageFSM {raw!r} is not a percentage from 0 to 100")
    return value.quantize(Decimal("0.01"))


def _postcode(raw: str, name: str, row: GiasRow) -> str | None:
    if not raw:
        return None
    if postcode_key(raw) is None:
        # Overseas and some special establishments have none or a foreign one: keep the school, not the postcode.
        row.warnings.append(f"Postcode {raw!r} is not a UK postcode; it was left out")
        return None
    return format_postcode(raw)


def _area(raw: str, name: str, row: GiasRow) -> str | None:
    code = raw.upper()
    if not code:
        return None
    if not _AREA.match(code):
        raise ValueError(f"{_header_of(name)} {raw!r} is not an ONS code like E01000001")
    return code


_PARSERS = {
    "urn": _urn,
    "la_code": _la_code,
    "opened_on": _date,
    "closed_on": _date,
    "low_age": _age,
    "high_age": _age,
    "pupils": _count,
    "fsm_percent": _percent,
    "postcode": _postcode,
    "lsoa": _area,
    "msoa": _area,
    "district_code": _area,
}
