"""Reading the official reference files into plain rows. No database access: `places.services` loads them.

- English local authorities: `Local Authority GIAS ID, Local Authority Name, ..., Local Authority ENG` (the DfE's
  list of 151), optionally with an ONS code column.
- Indices of Deprivation 2019, File 1 (or File 7, which has the same first columns): LSOA code and name, district
  code and name, IMD rank (quoted with a thousands comma, "29,199") and decile.
- The ONS postcode directory (NSPL or ONSPD): `pcds`/`pcd`/`pcd2`, `doterm`, `laua`, `lsoa11`, `lsoa21`, in any
  order among dozens of others; streamed row by row.

Columns are found by name whatever their order; names are compared without case or extra spaces. A file that
cannot be used raises `ReferenceFileError`; a bad row becomes a `RowProblem` and never raises.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import NamedTuple

from devicebank.core.errors import DomainError
from devicebank.places.postcodes import postcode_key

LSOA_CODE = re.compile(r"^[EW]01\d{6}$")
AREA_CODE = re.compile(r"^[EWSNLM]\d{8}$")
GIAS_CODE = re.compile(r"^\d{3}$")
# csv's default field limit (128 KB) is far above any real cell; keep it as the guard against a runaway quote.


class ReferenceFileError(DomainError):
    """The file as a whole cannot be loaded; the message says why and what to do."""

    code = "reference_file"


@dataclass(frozen=True)
class RowProblem:
    row: int  # the row number a spreadsheet shows: the header is row 1
    message: str


def normalise_header(text: str) -> str:
    return " ".join(text.replace("\ufeff", "").split()).casefold()


def _find(headers: list[str], match: Callable[[str], bool]) -> int | None:
    for index, header in enumerate(headers):
        if match(header):
            return index
    return None


def _named(*names: str) -> Callable[[str], bool]:
    wanted = {normalise_header(name) for name in names}
    return lambda header: header in wanted


def _starts(prefix: str) -> Callable[[str], bool]:
    return lambda header: header.startswith(prefix)


def _header(rows: Iterator[list[str]], what: str) -> list[str]:
    for cells in rows:
        if any(cell.strip() for cell in cells):
            return [normalise_header(cell) for cell in cells]
    raise ReferenceFileError(f"The file is empty: it should be {what}.")


def _cell(cells: list[str], index: int | None) -> str:
    if index is None or index >= len(cells):
        return ""
    return cells[index].strip()


def _csv(lines: Iterable[str]) -> Iterator[list[str]]:
    try:
        yield from csv.reader(lines)
    except csv.Error as exc:
        raise ReferenceFileError(f"The file is not a readable CSV file ({exc}).") from exc


def area_code(text: str) -> str:
    """An ONS area code, or "" for a blank or ONS's pseudo-code for "none" (E99999999, L99999999, ...)."""
    code = text.strip().upper()
    return "" if not code or code.endswith("99999999") else code


# --- English local authorities --------------------------------------------------------------------------------


class LocalAuthorityRow(NamedTuple):
    gias_code: str
    name: str
    short_code: str
    ons_code: str


LA_COLUMNS: dict[str, Callable[[str], bool]] = {
    "gias_code": _named("Local Authority GIAS ID", "LA (code)", "LA code", "GIAS LA code", "LA number"),
    "name": _named("Local Authority Name", "LA (name)", "LA name", "Name"),
    "short_code": _named("Local Authority ENG", "Three-letter code", "Short code"),
    "ons_code": _named("ONS code", "Local Authority ONS code", "GSS code", "LA (ONS code)", "LAD code"),
}


def read_local_authorities(lines: Iterable[str]) -> tuple[list[LocalAuthorityRow], list[RowProblem]]:
    """The authorities in the file, and the rows that could not be read (with why)."""
    records = _csv(lines)
    headers = _header(records, "the list of English local authorities")
    at = {field: _find(headers, match) for field, match in LA_COLUMNS.items()}
    missing = [
        name
        for name, field in (("Local Authority GIAS ID", "gias_code"), ("Local Authority Name", "name"))
        if at[field] is None
    ]
    if missing:
        raise ReferenceFileError(
            f"The file has no {' or '.join(missing)} column. Expected the DfE list of English local authorities "
            "(Local Authority GIAS ID, Local Authority Name, ..., Local Authority ENG)."
        )
    rows: list[LocalAuthorityRow] = []
    problems: list[RowProblem] = []
    seen: dict[str, int] = {}
    for number, cells in enumerate(records, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        code = _cell(cells, at["gias_code"])
        if code.isdigit() and len(code) < 3:
            code = code.zfill(3)  # a spreadsheet drops the leading zeros of "020"
        name = _cell(cells, at["name"])
        ons = area_code(_cell(cells, at["ons_code"]))
        if not GIAS_CODE.match(code):
            problems.append(RowProblem(number, f"GIAS ID {code!r} is not a three-digit code"))
        elif not name:
            problems.append(RowProblem(number, f"local authority {code} has no name"))
        elif len(name) > 100:
            problems.append(RowProblem(number, f"local authority {code}: the name is over 100 characters"))
        elif ons and not AREA_CODE.match(ons):
            problems.append(
                RowProblem(number, f"local authority {code}: ONS code {ons!r} is not a 9-character code")
            )
        elif code in seen:
            problems.append(
                RowProblem(number, f"local authority {code} is listed again (first on row {seen[code]})")
            )
        else:
            seen[code] = number
            short = _cell(cells, at["short_code"]).upper()[:3]
            rows.append(LocalAuthorityRow(code, name, short, ons))
    return rows, problems


# --- Indices of Deprivation 2019 ------------------------------------------------------------------------------


class ImdRow(NamedTuple):
    lsoa_code: str
    lsoa_name: str
    district_code: str
    district_name: str
    rank: int
    decile: int


IMD_COLUMNS: dict[str, Callable[[str], bool]] = {
    "lsoa_code": _starts("lsoa code"),
    "lsoa_name": _starts("lsoa name"),
    "district_code": _starts("local authority district code"),
    "district_name": _starts("local authority district name"),
    "rank": lambda h: h.startswith("index of multiple deprivation (imd) rank") or h == "imd rank",
    "decile": lambda h: h.startswith("index of multiple deprivation (imd) decile") or h == "imd decile",
}
MAX_RANK = 100_000


def _whole_number(text: str) -> int | None:
    digits = text.replace(",", "").strip()
    return int(digits) if digits.isdigit() and len(digits) <= 9 else None


def read_imd(lines: Iterable[str]) -> tuple[list[ImdRow], list[RowProblem]]:
    """The LSOAs of an Indices of Deprivation 2019 file (File 1 or File 7), and the rows that could not be read."""
    records = _csv(lines)
    headers = _header(records, "the English Indices of Deprivation 2019, File 1")
    at = {field: _find(headers, match) for field, match in IMD_COLUMNS.items()}
    missing = [field for field in ("lsoa_code", "rank", "decile") if at[field] is None]
    if missing:
        names = {
            "lsoa_code": "LSOA code (2011)",
            "rank": "Index of Multiple Deprivation (IMD) Rank",
            "decile": "Index of Multiple Deprivation (IMD) Decile",
        }
        raise ReferenceFileError(
            f"The file has no {', '.join(names[m] for m in missing)} column. Expected File 1 of the English "
            "Indices of Deprivation 2019 (IMD2019_File_1_Index_of_Multiple_Deprivation.csv)."
        )
    rows: list[ImdRow] = []
    problems: list[RowProblem] = []
    seen: set[str] = set()
    for number, cells in enumerate(records, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        code = _cell(cells, at["lsoa_code"]).upper()
        rank = _whole_number(_cell(cells, at["rank"]))
        decile = _whole_number(_cell(cells, at["decile"]))
        district = area_code(_cell(cells, at["district_code"]))
        if not LSOA_CODE.match(code):
            problems.append(RowProblem(number, f"LSOA code {code!r} is not an LSOA code like E01000001"))
        elif rank is None or not 1 <= rank <= MAX_RANK:
            problems.append(
                RowProblem(number, f"{code}: the IMD rank {_cell(cells, at['rank'])!r} is not a rank")
            )
        elif decile is None or not 1 <= decile <= 10:
            problems.append(
                RowProblem(number, f"{code}: the IMD decile {_cell(cells, at['decile'])!r} is not 1 to 10")
            )
        elif district and not AREA_CODE.match(district):
            problems.append(RowProblem(number, f"{code}: district code {district!r} is not an ONS code"))
        elif code in seen:
            problems.append(RowProblem(number, f"{code} is listed twice"))
        else:
            seen.add(code)
            rows.append(
                ImdRow(
                    code,
                    _cell(cells, at["lsoa_name"])[:100],
                    district,
                    _cell(cells, at["district_name"])[:100],
                    rank,
                    decile,
                )
            )
    return rows, problems


# --- The ONS postcode directory ---------------------------------------------------------------------------------


class PostcodeRow(NamedTuple):
    """One postcode, in the column order `places.services` writes (see POSTCODE_COLUMNS there)."""

    key: str
    terminated_on: str | None  # ISO date, the first of the month it ended
    district_code: str
    lsoa11: str
    lsoa21: str


_LAD = re.compile(r"^lad\d\dcd$")
POSTCODE_COLUMNS: dict[str, Callable[[str], bool]] = {
    "postcode": _named("pcds", "pcd", "pcd2", "pcd7", "pcd8"),
    "doterm": _named("doterm"),
    "district": lambda h: h == "laua" or bool(_LAD.match(h)),
    "lsoa11": _named("lsoa11", "lsoa11cd"),
    "lsoa21": _named("lsoa21", "lsoa21cd"),
}
_PREFERRED_POSTCODE = ("pcds", "pcd", "pcd2", "pcd7", "pcd8")


@dataclass
class PostcodeTally:
    """What streaming the directory found, filled in as the rows go by."""

    rows: int = 0
    skipped: int = 0
    terminated: int = 0
    problems: list[RowProblem] | None = None

    def problem(self, row: int, message: str, keep: int = 20) -> None:
        self.skipped += 1
        if self.problems is None:
            self.problems = []
        if len(self.problems) < keep:
            self.problems.append(RowProblem(row, message))


def _doterm(text: str) -> str | None:
    """yyyymm -> "yyyy-mm-01"; blank -> None.

    Raises:
        ValueError: anything else.
    """
    if not text:
        return None
    if len(text) == 6 and text.isdigit() and 1 <= int(text[4:]) <= 12 and text[:2] in ("19", "20"):
        return f"{text[:4]}-{text[4:]}-01"
    raise ValueError(text)


def read_postcodes(lines: Iterable[str], tally: PostcodeTally) -> Iterator[PostcodeRow]:
    """Stream the directory's postcodes. Rows that cannot be used are counted in `tally`, not raised.

    Raises:
        ReferenceFileError: the header has no postcode column, or none of laua, lsoa11 and lsoa21.
    """
    records = _csv(lines)
    headers = _header(records, "the ONS postcode directory (NSPL or ONSPD)")
    at = {field: _find(headers, match) for field, match in POSTCODE_COLUMNS.items()}
    for name in _PREFERRED_POSTCODE:  # pcds is the one with one space; any of them normalises the same
        if name in headers:
            at["postcode"] = headers.index(name)
            break
    if at["postcode"] is None or all(at[f] is None for f in ("district", "lsoa11", "lsoa21")):
        raise ReferenceFileError(
            "The file has no pcds/pcd column, or none of laua, lsoa11 and lsoa21. Expected the ONS postcode "
            "directory (NSPL or ONSPD) as CSV, with its header row."
        )
    p, d, t, l11, l21 = at["postcode"], at["district"], at["doterm"], at["lsoa11"], at["lsoa21"]
    width = max(i for i in at.values() if i is not None) + 1
    for number, cells in enumerate(records, start=2):
        tally.rows += 1
        if len(cells) < width:
            if not any(cell.strip() for cell in cells):
                tally.rows -= 1
                continue
            cells = cells + [""] * (width - len(cells))
        key = postcode_key(cells[p])
        if key is None:
            tally.problem(number, f"{cells[p].strip()!r} is not a UK postcode")
            continue
        doterm = cells[t].strip() if t is not None else ""
        try:
            ended = _doterm(doterm)
        except ValueError:
            tally.problem(number, f"{key}: doterm {doterm!r} is not a yyyymm month")
            continue
        if ended:
            tally.terminated += 1
        yield PostcodeRow(
            key,
            ended,
            area_code(cells[d]) if d is not None else "",
            area_code(cells[l11]) if l11 is not None else "",
            area_code(cells[l21]) if l21 is not None else "",
        )
