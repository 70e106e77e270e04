"""From a file's bytes to a table of text cells: file type, encoding, delimiter, sheet and header row.

The type is decided by the content, never by the name: councils' systems export CSV named ".xls", and
people rename files. Anything that is not CSV-like text or an XLSX workbook is refused with a message that
says what the file is and how to save it as CSV or XLSX.
"""

from __future__ import annotations

import codecs
import csv
import gc
import io
import re
import zipfile
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time
from itertools import chain, islice
from pathlib import PurePath
from typing import TYPE_CHECKING

from openpyxl.reader.excel import ExcelReader
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from openpyxl.xml.constants import SHEET_MAIN_NS
from openpyxl.xml.functions import iterparse

from devicebank.donations.register.errors import RegisterFileError
from devicebank.donations.register.fields import column_name, header_field
from devicebank.donations.register.values import clean_line, clean_text

if TYPE_CHECKING:
    from openpyxl.workbook.workbook import Workbook

MAX_BYTES = 50 * 1024 * 1024
MAX_ROWS = 200_000
MAX_UNZIPPED_BYTES = 500 * 1024 * 1024  # an XLSX is a zip: refuse one that unpacks to more than this
MAX_COLUMNS = 200  # registers have 5 to 40 columns; a row wider than this is a sheet of something else
# Non-empty cells in the rows read (header included). Memory grows with cells, not with the file's size: this
# and the row limit bound it (docs/benchmarks.md, intake.register_xlsx_*). 200,000 rows x 15 columns fit.
MAX_CELLS = 3_000_000
HEADER_SEARCH_ROWS = 30  # title rows above the header are looked through up to this many rows
DELIMITERS = (",", ";", "\t", "|")

_SAVE_AS = (
    'Open it in Excel or LibreOffice, save it as "CSV UTF-8" or "Excel Workbook (.xlsx)" and upload that.'
)


@dataclass
class Table:
    """A register as text cells, before any mapping.

    Attributes:
        format: "csv" (any delimited text) or "xlsx".
        encoding: the text encoding used to read a CSV (a Python codec name); None for XLSX.
        delimiter: the CSV delimiter; None for XLSX.
        headers: the header row, trimmed; a blank header is named after its column ("Column E").
        rows: the non-empty rows below the header, cells as in the file (XLSX values turned to text;
            dates as ISO "2021-03-04").
        lines: for each row, the line (CSV) or row (XLSX) number a person sees in the file. Empty means
            the rows follow the header with no gaps.
        sheet: the worksheet read (XLSX).
        header_row: the line or row number of the header.
        warnings: things the person should know about the file as a whole.
    """

    format: str
    encoding: str | None
    delimiter: str | None
    headers: list[str]
    rows: list[list[str]]
    lines: list[int] = field(default_factory=list)
    sheet: str | None = None
    header_row: int = 1
    warnings: list[str] = field(default_factory=list)

    def line_of(self, index: int) -> int:
        return self.lines[index] if self.lines else self.header_row + 1 + index


@contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a big table or row list is built.

    Building 100,000 rows creates hundreds of thousands of small containers with no reference cycles;
    the collector keeps walking the whole heap meanwhile for nothing (about 40% of the parse time,
    measured). Reference counting still frees memory as usual; the collector is re-enabled afterwards
    unless something else had turned it off.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _size_text(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB" if size >= 100 * 1024 else f"{size / 1024:.1f} KB"


def check_size(size: int, max_bytes: int = MAX_BYTES) -> None:
    """Refuse a file over the size limit; call it with the upload's size before reading the file."""
    if size > max_bytes:
        raise RegisterFileError(
            f"The file is {_size_text(size)}; the limit is {_size_text(max_bytes)}. "
            "Split it into smaller files, or remove columns and sheets that are not needed."
        )


@dataclass(frozen=True)
class Limits:
    """What a register file may hold; every limit is checked while the file is read, so reading stops at the
    first one passed, before the rest of the file costs memory."""

    rows: int = MAX_ROWS
    columns: int = MAX_COLUMNS
    cells: int = MAX_CELLS
    unzipped_bytes: int = MAX_UNZIPPED_BYTES


DEFAULT_LIMITS = Limits()


def read_table(
    data: bytes,
    *,
    filename: str,
    max_bytes: int = MAX_BYTES,
    max_rows: int | None = None,
    limits: Limits | None = None,
) -> Table:
    """Read a register file (CSV-like text or XLSX) into a `Table`.

    Args:
        data: the file's bytes.
        filename: the name it was uploaded with; used in messages only.
        max_bytes: files larger than this are refused before anything is read.
        max_rows: files with more data rows than this are refused.
        limits: rows, columns, cells and unpacked size allowed (`max_rows` is kept for callers that only
            change that).

    Raises:
        RegisterFileError: the file is empty, too big, not CSV or XLSX, unreadable, has no rows below its
            header, or passes a limit (rows, columns, non-empty cells, unpacked size); the message names the
            file and the limit.
    """
    check_size(len(data), max_bytes)
    if limits is None:
        limits = DEFAULT_LIMITS if max_rows is None else Limits(rows=max_rows)
    base = PurePath(filename).name
    name = f'"{base}"' if base else "The file"  # how messages name the file
    if data in (b"", codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        raise RegisterFileError(f"{name} is empty.")  # text with only blank lines is caught once decoded
    with cyclic_gc_paused():
        if _is_zip(data):
            table = _read_xlsx(data, name=name, limits=limits)
        else:
            _refuse_known_binary(data, name)
            table = _read_text(data, name=name, limits=limits)
    suffix = PurePath(filename).suffix.lower()
    if table.format == "csv" and suffix in {".xlsx", ".xls", ".xlsm", ".ods"}:
        table.warnings.append(f"{name} is named {suffix} but holds CSV text; it was read as CSV.")
    elif table.format == "xlsx" and suffix in {".csv", ".txt", ".tsv"}:
        table.warnings.append(f"{name} is named {suffix} but is an Excel workbook; it was read as one.")
    return table


def precheck(data: bytes, *, filename: str, limits: Limits | None = None) -> None:
    """Refuse what can be known without reading the rows: an empty file, a known non-register format, an XLSX
    that unpacks to more than the limit or is another kind of zip. Fast and light on any file; `read_table`
    does the same and the rest.

    Raises:
        RegisterFileError: as `read_table` would for these.
    """
    limits = limits or DEFAULT_LIMITS
    base = PurePath(filename).name
    name = f'"{base}"' if base else "The file"
    if data in (b"", codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        raise RegisterFileError(f"{name} is empty.")
    if _is_zip(data):
        _check_zip(data, name=name, limits=limits)
    else:
        _refuse_known_binary(data, name)


# --- what kind of file ---------------------------------------------------------------------------------------

_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "a PDF document"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"{\\rtf", "a Rich Text (RTF) document"),
)
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _is_zip(data: bytes) -> bool:
    return data[:4] in (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")


def _refused(name: str, what: str) -> RegisterFileError:
    return RegisterFileError(f"{name} is {what}, not a CSV or XLSX file. {_SAVE_AS}")


def _ole_kind(data: bytes) -> str:
    # Office 97-2003 files are OLE containers; their stream names are stored in UTF-16LE.
    if "EncryptedPackage".encode("utf-16-le") in data:
        return "a password-protected Excel file (remove the password first)"
    if "WordDocument".encode("utf-16-le") in data:
        return "an old Word document (.doc)"
    return "an old Excel 97-2003 workbook (.xls)"


def _refuse_known_binary(data: bytes, name: str) -> None:
    if data.startswith(_OLE):
        raise _refused(name, _ole_kind(data))
    for signature, what in _SIGNATURES:
        if data.startswith(signature):
            raise _refused(name, what)
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        raise _refused(name, "a WebP image")
    if data[4:8] == b"ftyp":
        raise _refused(name, "an image or video (HEIC/MP4)")
    head = data[:4096].lstrip(codecs.BOM_UTF8 + b" \t\r\n").lower()
    if head.startswith((b"<!doctype html", b"<html", b"<table")):
        raise _refused(name, "a web page (HTML), which some systems save with an .xls name")
    if head.startswith((b"<?xml", b"<workbook", b"<office:")):
        if b"urn:schemas-microsoft-com:office:spreadsheet" in head:
            raise _refused(name, "an Excel 2003 XML spreadsheet")
        if b"opendocument" in head:
            raise _refused(name, "a flat OpenDocument file")
        raise _refused(name, "an XML file")


def _zip_kind(names: set[str], mimetype: bytes) -> str | None:
    """What a zip file is, or None when it is an XLSX workbook."""
    if "xl/workbook.bin" in names:
        return "an Excel binary workbook (.xlsb)"
    if any(n.startswith("xl/") for n in names) and "[Content_Types].xml" in names:
        return None
    if b"opendocument.spreadsheet" in mimetype:
        return "an OpenDocument spreadsheet (.ods)"
    if b"opendocument" in mimetype:
        return "an OpenDocument file"
    if "word/document.xml" in names:
        return "a Word document (.docx)"
    if "ppt/presentation.xml" in names:
        return "a PowerPoint presentation"
    if "Index/Document.iwa" in names:
        return "an Apple Numbers spreadsheet"
    return "a zip archive"


# --- text -------------------------------------------------------------------------------------------------


def _utf16_without_bom(sample: bytes) -> str | None:
    even, odd = sample[0::2], sample[1::2]
    if not even or not odd:
        return None
    if odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.05 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.4 * len(even) and odd.count(0) < 0.05 * len(odd):
        return "utf-16-be"
    return None


def _bom_or_utf16(data: bytes, name: str) -> str | None:
    """The encoding a byte-order mark (or UTF-16's tell-tale zero bytes) gives, or None for 8-bit text."""
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return "utf-32"
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if b"\x00" in data[:8192]:
        encoding = _utf16_without_bom(data[:8192])
        if encoding is None:
            raise RegisterFileError(f"{name} is not a text file or a spreadsheet we can read. {_SAVE_AS}")
        return encoding
    return None


def _decode(data: bytes, name: str) -> tuple[str, str, list[str]]:
    """The text, the encoding used and any warning: a BOM's encoding, else UTF-8, else Windows-1252."""
    encoding = _bom_or_utf16(data, name)
    warnings = []
    try:
        if encoding is None:
            try:
                text, encoding = data.decode("utf-8"), "utf-8"
            except UnicodeDecodeError:
                encoding = "windows-1252"
                warnings.append(
                    "The file is not UTF-8; it was read as Windows-1252. Check that £, é and the like look right."
                )
                text = data.decode(encoding)
        else:
            text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise RegisterFileError(
            f"{name} could not be read: its text is neither UTF-8, UTF-16 nor Windows-1252 "
            f"(unreadable byte at position {exc.start}). {_SAVE_AS}"
        ) from exc
    text = text.lstrip("\ufeff").rstrip("\x1a")  # a stray BOM; the DOS end-of-file mark
    sample = text[:10_000]
    controls = sum(1 for ch in sample if ch < " " and ch not in "\t\r\n")
    if controls > len(sample) / 100:
        raise RegisterFileError(f"{name} is not a text file or a spreadsheet we can read. {_SAVE_AS}")
    return text, encoding, warnings


_SEP_LINE = re.compile(r"sep=(.)[ \t]*(?:\r\n|\r|\n|$)", re.IGNORECASE)


def sniff_delimiter(text: str) -> str:
    """The delimiter (comma, semicolon, tab or pipe) that splits the first rows into the most rows of equal,
    plural width; a comma when none does (a one-column file)."""
    sample = text[:65_536]
    cut = len(text) > len(sample)
    best, best_score = ",", (0, 0)
    for delimiter in DELIMITERS:
        records = list(islice(csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter), 200))
        if cut:
            records = records[:-1]
        widths = Counter(len(record) for record in records if any(record))
        score = max(((count, width) for width, count in widths.items() if width > 1), default=(0, 0))
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _blank(cells: list[str]) -> bool:
    joined = "".join(cells)
    if not joined or joined.isspace():
        return True
    return not joined.isascii() and not clean_text(joined)


LONG_VALUE_LINES = 20  # a quoted value over this many lines is probably a quote mark left open


def _csv_records(
    text: str, delimiter: str, name: str, warnings: list[str]
) -> Iterator[tuple[int, list[str]]]:
    """(line number where the record starts, cells) for each CSV record, blank ones included.

    A quote mark without its closing partner swallows the lines after it into one value: the first value
    spanning many lines gets a warning, and one over the csv module's size limit stops the read.
    """
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    last = 0
    warned = False
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise RegisterFileError(
                f"{name} could not be read from line {last + 1}: {exc}. A quote mark there without its "
                "closing partner may have joined the rest of the file into one value."
            ) from exc
        start, last = last + 1, reader.line_num
        if not warned and last - start >= LONG_VALUE_LINES:
            warned = True
            warnings.append(
                f"A value starting on line {start} runs over {last - start + 1} lines: check that line for a "
                "quote mark without its closing partner."
            )
        yield start, cells


def _read_text(data: bytes, *, name: str, limits: Limits) -> Table:
    text, encoding, warnings = _decode(data, name)
    if not text.strip():
        raise RegisterFileError(f"{name} is empty.")
    records: Iterable[tuple[int, list[str]]]
    if sep := _SEP_LINE.match(text):  # Excel's "sep=;" hint line
        delimiter = sep[1]
        records = islice(_csv_records(text, delimiter, name, warnings), 1, None)
    else:
        delimiter = sniff_delimiter(text)
        records = _csv_records(text, delimiter, name, warnings)
    table = _table_from_records(records, name=name, limits=limits, is_sheet=False)
    table.format, table.encoding, table.delimiter = "csv", encoding, delimiter
    table.warnings[:0] = warnings
    return table


# --- shared: header row and rows ------------------------------------------------------------------------------


def header_score(cells: list[str]) -> int:
    """How many different register fields a row's cells name: the header is the row that names most."""
    return len({header_field(cell) for cell in cells if cell} - {None})


def _find_header(candidates: list[tuple[int, list[str]]]) -> int:
    """Index of the header among the first non-blank rows: the first that names most fields."""
    scores = [header_score(cells) for _, cells in candidates]
    best = max(scores, default=0)
    return scores.index(best) if best else 0


def _headers(cells: list[str]) -> list[str]:
    headers = [clean_line(cell) for cell in cells]
    while headers and not headers[-1]:
        headers.pop()
    return [header or f"Column {column_name(index)}" for index, header in enumerate(headers)]


def _too_many_rows(name: str, max_rows: int) -> RegisterFileError:
    return RegisterFileError(
        f"{name} has more than {max_rows:,} rows. Split it into files of up to {max_rows:,} rows each."
    )


def _too_wide(name: str, unit: str, line: int, width: int, limit: int) -> RegisterFileError:
    return RegisterFileError(
        f"{name} has {width:,} columns on {unit} {line}; the limit is {limit:,} columns. Delete the columns "
        "that are not about the devices (or a stray value far to the right) and upload it again."
    )


def _too_many_cells(name: str, limit: int) -> RegisterFileError:
    return RegisterFileError(
        f"{name} has more than {limit:,} filled cells; the limit is {limit:,}. Delete the columns that are not "
        "about the devices, or split it into smaller files."
    )


def _filled(cells: list[str]) -> int:
    return sum(1 for cell in cells if cell)


def _table_from_records(
    records: Iterable[tuple[int, list[str]]], *, name: str, limits: Limits, is_sheet: bool
) -> Table:
    """Find the header among the first rows, then keep every non-blank row after it.

    A sheet's short rows are padded (a spreadsheet stores no empty trailing cells); a CSV's are kept short
    so that `parse_rows` can warn about them. The limits on rows, columns and cells are checked row by row,
    so a file over them stops the read there.
    """
    unit = "row" if is_sheet else "line"
    non_blank = ((line, cells) for line, cells in records if not _blank(cells))
    candidates = list(islice(non_blank, HEADER_SEARCH_ROWS))
    if not candidates:
        raise RegisterFileError(f"{name} is empty.")
    header_at = _find_header(candidates)
    header_line, header_cells = candidates[header_at]
    headers = _headers(header_cells)
    if len(headers) > limits.columns:
        raise _too_wide(name, unit, header_line, len(headers), limits.columns)
    rows: list[list[str]] = []
    lines: list[int] = []
    width = len(headers)
    filled = _filled(header_cells)
    for line, cells in chain(candidates[header_at + 1 :], non_blank):
        if len(rows) >= limits.rows:
            raise _too_many_rows(name, limits.rows)
        if len(cells) > limits.columns:
            raise _too_wide(name, unit, line, len(cells), limits.columns)
        filled += _filled(cells)
        if filled > limits.cells:
            raise _too_many_cells(name, limits.cells)
        if is_sheet and len(cells) < width:
            cells = cells + [""] * (width - len(cells))
        rows.append(cells)
        lines.append(line)
    if not rows:
        raise RegisterFileError(
            f"{name} has a header row ({unit} {header_line}) but no rows below it. Add the devices and upload "
            "it again."
        )
    warnings = []
    if header_at:
        title_lines = (
            f"{unit} {candidates[0][0]}"
            if header_at == 1
            else f"{unit}s {candidates[0][0]}–{header_line - 1}"
        )
        warnings.append(f"The rows above the header ({title_lines}) were taken as titles and skipped.")
    return Table(
        format="",
        encoding=None,
        delimiter=None,
        headers=headers,
        rows=rows,
        lines=lines,
        header_row=header_line,
        warnings=warnings,
    )


# --- XLSX ---------------------------------------------------------------------------------------------------


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(sep=" ")
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # Excel stores every number as a float: 8.0 is 8
    return str(value)


def _sheet_rows(sheet: ReadOnlyWorksheet) -> Iterator[tuple[int, list[str]]]:
    for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        cells = [_cell_text(value) for value in values]
        while cells and not cells[-1]:
            cells.pop()
        yield number, cells


def _choose_sheet(sheets: list[ReadOnlyWorksheet]) -> tuple[ReadOnlyWorksheet, list[str]]:
    """The sheet to read, and a warning naming the sheets with data left out.

    Sheets whose header has a serial or asset-tag column come first, then the header naming the most
    fields, then the earlier sheet; a workbook with no recognisable header gives its first non-empty sheet.
    """
    best: tuple[int, int] = (-1, -1)
    chosen: ReadOnlyWorksheet | None = None
    filled = []
    for sheet in sheets:
        head = [(n, cells) for n, cells in islice(_sheet_rows(sheet), 200) if not _blank(cells)][
            :HEADER_SEARCH_ROWS
        ]
        if not head:
            continue
        filled.append(sheet)
        fields = [{header_field(cell) for cell in cells} for _, cells in head]
        identity = any({"serial_number", "asset_tag"} & names for names in fields)
        score = (int(identity), max(len(names - {None}) for names in fields))
        if score > best:
            best, chosen = score, sheet
    if chosen is None:
        return sheets[0], []
    others = [s.title for s in filled if s is not chosen]
    warnings = []
    if others:
        left_out = ", ".join(f'"{title}"' for title in others)
        warnings.append(f'Read the sheet "{chosen.title}"; other sheets with data were left out: {left_out}.')
    return chosen, warnings


_SI = f"{{{SHEET_MAIN_NS}}}si"
_T = f"{{{SHEET_MAIN_NS}}}t"
_R = f"{{{SHEET_MAIN_NS}}}r"


class _LimitedReader(ExcelReader):
    """openpyxl's workbook reader with a shared-string table that stops at the cell limit.

    Excel keeps every distinct text of the workbook in one table that openpyxl reads whole before the first
    row; a workbook of millions of distinct texts would fill memory before any row is counted. Reading the
    table here also skips openpyxl's object per string (`Text.from_tree`), which took most of the read time.
    The text is what openpyxl gives: the plain text or the runs of rich text, without phonetic guides.
    """

    def __init__(self, source: io.BytesIO, *, name: str, limits: Limits) -> None:
        super().__init__(source, read_only=True, data_only=True)
        self.name, self.limits = name, limits

    def read_strings(self) -> None:
        from openpyxl.xml.constants import SHARED_STRINGS

        part = self.package.find(SHARED_STRINGS)
        if part is None:
            return
        strings: list[str] = []
        with self.archive.open(part.PartName[1:]) as source:
            root = None
            for event, node in iterparse(source, events=("start", "end")):
                if root is None:
                    root = node
                if event != "end" or node.tag != _SI:
                    continue
                plain = node.find(_T)
                if plain is not None:
                    text = plain.text or ""
                else:
                    text = "".join(run.findtext(_T) or "" for run in node.iterfind(_R))
                # Drop the parsed entry from the tree: a cleared element left in its parent still costs
                # about 100 bytes, which for millions of texts was more than the texts themselves.
                root.clear()
                strings.append(text.replace("x005F_", "") if "x005F_" in text else text)
                if len(strings) > self.limits.cells:
                    raise _too_many_cells(self.name, self.limits.cells)
        self.shared_strings = strings

    def read_worksheets(self) -> None:
        # Only what a read-only reader does; chart sheets have no rows and are left out.
        for sheet, rel in self.parser.find_sheets():
            if rel.target not in self.valid_files or "chartsheet" in rel.Type:
                continue
            worksheet = _Sheet(self.wb, sheet.name, rel.target, self.shared_strings)
            worksheet.sheet_state = sheet.state
            self.wb._sheets.append(worksheet)


class _Sheet(ReadOnlyWorksheet):
    """A read-only sheet that does not look for its stored size when opened: a sheet without one (many tools
    write none) was parsed whole just to learn that, and the size is not used (`reset_dimensions`)."""

    def _get_size(self) -> None:
        return None


def _open_workbook(data: bytes, *, name: str, limits: Limits) -> Workbook:
    reader = _LimitedReader(io.BytesIO(data), name=name, limits=limits)
    reader.read()
    return reader.wb


def _check_zip(data: bytes, *, name: str, limits: Limits) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            # The sizes are read from the zip's directory; zipfile never unpacks a member past its stated size.
            unzipped = sum(info.file_size for info in archive.infolist())
            if unzipped > limits.unzipped_bytes:
                raise RegisterFileError(
                    f"{name} unpacks to {_size_text(unzipped)}, more than the {_size_text(limits.unzipped_bytes)} "
                    "allowed. Save it as CSV, or split it."
                )
            mimetype = b""
            if "mimetype" in names and archive.getinfo("mimetype").file_size <= 1024:
                mimetype = archive.read("mimetype")[:200]
    except (zipfile.BadZipFile, OSError, KeyError) as exc:
        raise RegisterFileError(f"{name} looks like a damaged XLSX or zip file. {_SAVE_AS}") from exc
    if (what := _zip_kind(names, mimetype)) is not None:
        raise _refused(name, what)


def _read_xlsx(data: bytes, *, name: str, limits: Limits) -> Table:
    _check_zip(data, name=name, limits=limits)
    try:
        workbook = _open_workbook(data, name=name, limits=limits)
    except RegisterFileError:
        raise
    except Exception as exc:  # openpyxl raises many types for a broken workbook; all mean the same here
        raise RegisterFileError(f"{name} could not be opened as an Excel workbook. {_SAVE_AS}") from exc
    try:
        sheets = list(workbook.worksheets)  # read-only worksheets; chart sheets are not in this list
        if not sheets:
            raise RegisterFileError(f"{name} has no worksheets.")
        for sheet in sheets:
            sheet.reset_dimensions()  # the stored sheet size is often wrong; read what is there
        visible = [s for s in sheets if s.sheet_state == "visible"] or sheets
        sheet, warnings = _choose_sheet(visible)
        table = _table_from_records(_sheet_rows(sheet), name=name, limits=limits, is_sheet=True)
    except RegisterFileError:
        raise
    except Exception as exc:  # a damaged sheet only shows while its rows are read
        raise RegisterFileError(f"{name} could not be read as an Excel workbook. {_SAVE_AS}") from exc
    finally:
        workbook.close()
    table.format, table.sheet = "xlsx", sheet.title
    table.warnings[:0] = warnings
    return table
