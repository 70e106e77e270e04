"""read_table: file type by content, encodings, delimiters, header row, and the files it refuses."""

from __future__ import annotations

import codecs
import io
import zipfile
from pathlib import Path

import pytest

from devicebank.donations.register import RegisterFileError, Table, check_size, read_table
from devicebank.donations.register.table import Limits

FIXTURES = Path(__file__).parent / "fixtures"


def read_fixture(name: str) -> Table:
    return read_table((FIXTURES / name).read_bytes(), filename=name)


def zip_bytes(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


BASIC_HEADERS = [
    "Serial Number",
    "Manufacturer",
    "Model",
    "Asset Tag",
    "Device Type",
    "CPU",
    "RAM",
    "Storage",
    "Purchase Date",
    "Notes",
]


def test_it_reads_a_comma_separated_utf8_register() -> None:
    table = read_fixture("register_basic.csv")

    assert (table.format, table.encoding, table.delimiter) == ("csv", "utf-8", ",")
    assert table.headers == BASIC_HEADERS
    assert table.header_row == 1
    assert table.lines == [2, 3, 4, 5]
    assert table.rows[0][:4] == ["5CG7281XYZ", "HP Inc.", "EliteBook 840 G3", "BAR-00101"]
    assert table.warnings == []


def test_it_reads_a_semicolon_register_saved_by_excel_with_a_byte_order_mark() -> None:
    table = read_fixture("register_excel_semicolon.csv")

    assert (table.encoding, table.delimiter) == ("utf-8-sig", ";")
    assert table.headers[0] == "Serial No"  # no BOM left on the first header
    assert table.rows[0][-1] == "Akku schwach; ersetzt"
    assert table.rows[1][7] == "1,5 TB"


def test_it_reads_windows_1252_and_says_so() -> None:
    table = read_fixture("register_windows1252.csv")

    assert table.encoding == "windows-1252"
    assert table.rows[0][-1] == "Valued at £50"
    assert table.rows[1][-1] == "From the café on Rue Général"
    assert any("Windows-1252" in warning for warning in table.warnings)


def test_it_reads_excel_unicode_text_which_is_utf16_and_tab_separated() -> None:
    table = read_fixture("register_unicode_text.txt")

    assert (table.encoding, table.delimiter) == ("utf-16", "\t")
    assert table.headers == ["S/N", "Brand", "Product", "Asset Number", "Type", "RAM (MB)", "HDD"]
    assert len(table.rows) == 2


def test_it_reads_utf16_even_without_a_byte_order_mark() -> None:
    data = "Serial,Make\r\n5CG123,HP\r\n".encode("utf-16-le")

    table = read_table(data, filename="r.csv")

    assert table.encoding == "utf-16-le"
    assert table.rows == [["5CG123", "HP"]]


@pytest.mark.parametrize(
    ("fixture", "delimiter"),
    [("register.tsv", "\t"), ("register_pipe.txt", "|"), ("register_basic.csv", ",")],
)
def test_it_sniffs_the_delimiter(fixture: str, delimiter: str) -> None:
    assert read_fixture(fixture).delimiter == delimiter


def test_a_pipe_file_keeps_commas_inside_cells() -> None:
    assert read_fixture("register_pipe.txt").rows[0][2] == "EliteBook 840 G3, 14 inch"


@pytest.mark.parametrize("newline", ["\r\n", "\n", "\r"])
def test_it_reads_any_line_ending_with_true_line_numbers(newline: str) -> None:
    text = newline.join(["Serial,Make", "A1,HP", "", "A2,Dell", ""])

    table = read_table(text.encode(), filename="r.csv")

    assert table.rows == [["A1", "HP"], ["A2", "Dell"]]
    assert table.lines == [2, 4]


def test_quoted_cells_keep_their_delimiters_quotes_and_line_breaks() -> None:
    table = read_fixture("register_quoted.csv")  # CR line endings, a cell spanning two lines

    assert table.rows[0] == [
        "5CG7281XYZ",
        "Hewlett-Packard, Inc.",
        "EliteBook 840 G3",
        "Screen cracked,\rbattery swollen; keep apart",
    ]
    assert table.rows[1][2] == 'Latitude "E7470"'
    assert table.lines == [2, 4]  # the row after a two-line cell starts on line 4


def test_it_skips_title_rows_above_the_header_and_trailing_empty_rows() -> None:
    table = read_fixture("register_title_rows.csv")

    assert table.header_row == 4
    assert table.headers == ["Serial", "Manufacturer", "Model", "Asset Tag", "Type"]
    assert table.lines == [5, 6]
    assert table.warnings == ["The rows above the header (lines 1–3) were taken as titles and skipped."]


def test_it_drops_trailing_empty_header_cells_and_names_blank_ones() -> None:
    table = read_table(b"Serial,,Make,,\r\nA1,x,HP,,\r\n", filename="r.csv")

    assert table.headers == ["Serial", "Column B", "Make"]


def test_it_follows_an_excel_sep_hint_line() -> None:
    table = read_fixture("register_sep_hint.csv")

    assert table.delimiter == ";"
    assert table.headers == ["Serial", "Make", "Model"]
    assert (table.header_row, table.lines) == (2, [3])


def test_a_quote_left_open_is_pointed_out() -> None:
    lines = ["Serial,Notes", '5CG001,"cracked screen', *(f"5CG{n:03d},ok" for n in range(2, 40))]

    table = read_table("\n".join(lines).encode(), filename="r.csv")

    assert len(table.rows) == 1
    assert table.warnings == [
        "A value starting on line 2 runs over 39 lines: check that line for a quote mark without its closing "
        "partner."
    ]


def test_a_value_too_long_to_read_is_a_file_error() -> None:
    data = b'Serial,Notes\n5CG001,"' + b"x" * 200_000 + b"\n"

    with pytest.raises(
        RegisterFileError, match="could not be read from line 2: field larger than field limit"
    ):
        read_table(data, filename="r.csv")


def test_it_goes_by_the_content_not_the_name() -> None:
    table = read_table(b"Serial,Make\nA1,HP\n", filename="export.xls")

    assert table.format == "csv"
    assert table.warnings == ['"export.xls" is named .xls but holds CSV text; it was read as CSV.']


def test_a_cell_starting_with_a_formula_is_kept_as_text() -> None:
    table = read_table(b'Serial,Notes\nA1,"=HYPERLINK(""http://x"",""y"")"\n', filename="r.csv")

    assert table.rows[0][1] == '=HYPERLINK("http://x","y")'


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"  \r\n\r\n",
        codecs.BOM_UTF8,
        codecs.BOM_UTF16_LE,
        ",,,\r\n,,\r\n",
        "\ufeff\r\n".encode("utf-16"),
    ],
    ids=["nothing", "blank lines", "utf-8 bom", "utf-16 bom", "empty cells", "utf-16 blank line"],
)
def test_it_refuses_an_empty_file(data: bytes | str) -> None:
    raw = data.encode() if isinstance(data, str) else data

    with pytest.raises(RegisterFileError, match="is empty"):
        read_table(raw, filename="r.csv")


def test_it_refuses_a_header_with_no_rows() -> None:
    with pytest.raises(RegisterFileError, match=r"has a header row \(line 1\) but no rows below it"):
        read_table(b"Serial,Make,Model\r\n,,\r\n", filename="r.csv")


def test_it_refuses_a_file_over_the_size_limit_before_reading_it() -> None:
    with pytest.raises(RegisterFileError, match=r"The file is 1\.0 KB; the limit is 0\.5 KB"):
        read_table(b"\x00" * 1024, filename="r.csv", max_bytes=512)


def test_check_size_can_refuse_an_upload_by_its_size_alone() -> None:
    check_size(50 * 1024 * 1024)
    with pytest.raises(RegisterFileError, match=r"50\.0 MB; the limit is 50\.0 MB"):
        check_size(50 * 1024 * 1024 + 1)


def test_it_refuses_more_rows_than_the_limit() -> None:
    data = b"Serial\n" + b"".join(b"S%05d\n" % n for n in range(4))

    assert len(read_table(data, filename="r.csv", max_rows=4).rows) == 4
    with pytest.raises(RegisterFileError, match="more than 3 rows"):
        read_table(data, filename="r.csv", max_rows=3)


OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504


@pytest.mark.parametrize(
    ("data", "what"),
    [
        (OLE + "Workbook".encode("utf-16-le"), r"an old Excel 97-2003 workbook \(\.xls\)"),
        (OLE + "EncryptedPackage".encode("utf-16-le"), "a password-protected Excel file"),
        (OLE + "WordDocument".encode("utf-16-le"), r"an old Word document"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "a PDF document"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "a PNG image"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "a JPEG image"),
        (b"\x00\x00\x00\x18ftypheic", "an image or video"),
        (
            zip_bytes(
                {"mimetype": b"application/vnd.oasis.opendocument.spreadsheet", "content.xml": b"<x/>"}
            ),
            r"an OpenDocument spreadsheet \(\.ods\)",
        ),
        (zip_bytes({"[Content_Types].xml": b"<x/>", "word/document.xml": b"<x/>"}), "a Word document"),
        (zip_bytes({"photos/a.jpg": b"\xff\xd8\xff"}), "a zip archive"),
        (zip_bytes({"[Content_Types].xml": b"<x/>", "xl/workbook.bin": b""}), r"\.xlsb"),
        (b"<html><body><table><tr><td>Serial</td></tr></table></body></html>", r"a web page \(HTML\)"),
        (
            b'<?xml version="1.0"?>\n<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet">',
            "an Excel 2003 XML spreadsheet",
        ),
    ],
    ids=[
        "xls",
        "encrypted",
        "doc",
        "pdf",
        "png",
        "jpeg",
        "heic",
        "ods",
        "docx",
        "zip",
        "xlsb",
        "html",
        "xml-spreadsheet",
    ],
)
def test_it_refuses_files_that_are_not_csv_or_xlsx_and_says_what_they_are(data: bytes, what: str) -> None:
    with pytest.raises(RegisterFileError, match=what) as caught:
        read_table(data, filename="register.xlsx")

    assert "save it as" in caught.value.message


def test_it_refuses_binary_noise() -> None:
    noise = bytes(range(256)) * 8

    with pytest.raises(RegisterFileError, match="not a text file or a spreadsheet"):
        read_table(noise, filename="r.csv")


def test_it_refuses_a_damaged_zip() -> None:
    with pytest.raises(RegisterFileError, match="damaged XLSX or zip"):
        read_table(b"PK\x03\x04" + b"\x00" * 100, filename="r.xlsx")


def test_it_refuses_text_in_no_encoding_it_knows() -> None:
    data = b"Serial,Notes\r\nA1,\x81\x8d\x8f\r\n"  # invalid UTF-8 and undefined in Windows-1252

    with pytest.raises(RegisterFileError, match="neither UTF-8, UTF-16 nor Windows-1252"):
        read_table(data, filename="r.csv")


def test_a_failure_names_the_file_without_its_folders() -> None:
    with pytest.raises(RegisterFileError, match=r'^"r\.csv" is empty\.$'):
        read_table(b"", filename="C:/Users/ict/Desktop/r.csv")


def test_it_refuses_a_zip_that_unpacks_to_too_much() -> None:
    data = zip_bytes({"[Content_Types].xml": b"<x/>", "xl/workbook.xml": b" " * 2000})

    with pytest.raises(
        RegisterFileError, match=r'"bomb.xlsx" unpacks to 2\.0 KB, more than the 1\.0 KB allowed'
    ):
        read_table(data, filename="bomb.xlsx", limits=Limits(unzipped_bytes=1000))
