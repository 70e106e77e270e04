from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from devicebank.core.textfiles import TextFileError, decode_text
from devicebank.places.readers import (
    PostcodeTally,
    ReferenceFileError,
    read_imd,
    read_local_authorities,
    read_postcodes,
)
from devicebank.places.tests.conftest import NSPL_HEADER, REAL_IMD, REAL_LAS, imd_bytes, nspl_line


def _lines(data: bytes) -> io.StringIO:
    return io.StringIO(decode_text(data)[0], newline="")


def test_it_reads_the_local_authorities_in_the_dfe_format(la_file: Path) -> None:
    rows, problems = read_local_authorities(_lines(la_file.read_bytes()))
    assert problems == []
    assert [(r.gias_code, r.name, r.short_code) for r in rows][:2] == [
        ("201", "City of London", "LND"),
        ("202", "Camden", "CMD"),
    ]


@pytest.mark.skipif(not REAL_LAS.exists(), reason="the shared samples are not here")
def test_it_reads_all_151_english_local_authorities_from_the_real_file() -> None:
    rows, problems = read_local_authorities(_lines(REAL_LAS.read_bytes()))
    assert problems == []
    assert len(rows) == 151
    assert ("207", "Kensington and Chelsea") in {(r.gias_code, r.name) for r in rows}


def test_a_local_authority_list_with_its_columns_moved_and_a_zero_lost_still_reads() -> None:
    data = b"Local Authority ENG,Local Authority Name,ONS code,Local Authority GIAS ID\nXYZ,Somewhere,E06000001,20\n"
    rows, problems = read_local_authorities(_lines(data))
    assert problems == []
    assert rows[0] == ("020", "Somewhere", "XYZ", "E06000001")


def test_bad_local_authority_rows_are_reported_with_their_row_numbers() -> None:
    data = b"Local Authority GIAS ID,Local Authority Name\nABC,Nowhere\n202,\n202,Camden\n202,Camden again\n"
    rows, problems = read_local_authorities(_lines(data))
    assert [(p.row, p.message) for p in problems] == [
        (2, "GIAS ID 'ABC' is not a three-digit code"),
        (3, "local authority 202 has no name"),
        (5, "local authority 202 is listed again (first on row 4)"),
    ]
    assert len(rows) == 1


def test_a_file_without_the_la_columns_is_refused_with_what_was_expected() -> None:
    with pytest.raises(ReferenceFileError, match="no Local Authority GIAS ID column"):
        read_local_authorities(_lines(b"Name,Code\nCamden,202\n"))


def test_it_reads_the_imd_file_with_its_byte_order_mark_and_quoted_thousands() -> None:
    rows, problems = read_imd(_lines(imd_bytes()))
    assert problems == []
    assert rows[0] == ("E01000001", "City of London 001A", "E09000001", "City of London", 29199, 9)
    assert rows[2].rank == 212
    assert rows[2].decile == 1


@pytest.mark.skipif(not REAL_IMD.exists(), reason="the shared samples are not here")
def test_it_reads_every_lsoa_of_the_real_imd_file() -> None:
    rows, problems = read_imd(_lines(REAL_IMD.read_bytes()))
    assert problems == []
    assert len(rows) == 32_844
    assert {r.decile for r in rows} == set(range(1, 11))
    assert min(r.rank for r in rows) == 1
    assert max(r.rank for r in rows) == 32_844


def test_bad_imd_rows_say_which_and_why() -> None:
    rows, problems = read_imd(_lines(imd_bytes(['X1,a,E09000001,b,"1,2",3', "E01000001,a,E09000001,b,5,11"])))
    assert rows == []
    assert [p.message for p in problems] == [
        "LSOA code 'X1' is not an LSOA code like E01000001",
        "E01000001: the IMD decile '11' is not 1 to 10",
    ]


def test_a_file_that_is_not_the_imd_is_refused() -> None:
    with pytest.raises(ReferenceFileError, match="no LSOA code"):
        read_imd(_lines(b"pcd,laua\nW10 5EF,E09000020\n"))


def test_the_postcode_directory_is_read_by_column_name_with_pseudo_codes_as_blanks() -> None:
    text = "\n".join(
        [
            NSPL_HEADER,
            nspl_line("W10 5EF", "E09000020", "E01002843"),
            nspl_line("SW1A 1AA", "E09000033", "E01004736", doterm="201903"),
            nspl_line("GY1 1AA", "L99999999", "L99999999"),
            nspl_line("NOT A PC", "E09000020", "E01002843"),
            nspl_line("W10 5EG", "E09000020", "E01002843", doterm="2019"),
        ]
    )
    tally = PostcodeTally()
    rows = list(read_postcodes(io.StringIO(text), tally))
    assert rows == [
        ("W105EF", None, "E09000020", "E01002843", ""),
        ("SW1A1AA", "2019-03-01", "E09000033", "E01004736", ""),
        ("GY11AA", None, "", "", ""),
    ]
    assert (tally.rows, tally.skipped, tally.terminated) == (5, 2, 1)
    assert [p.message for p in tally.problems or []] == [
        "'NOT A PC' is not a UK postcode",
        "W105EG: doterm '2019' is not a yyyymm month",
    ]


def test_the_2021_census_editions_and_their_renamed_columns_are_read_too() -> None:
    text = "lsoa21cd,pcd7,lad24cd,doterm\nE01035000,W10 5EF,E09000020,\n"
    rows = list(read_postcodes(io.StringIO(text), PostcodeTally()))
    assert rows == [("W105EF", None, "E09000020", "", "E01035000")]


def test_a_file_that_is_not_a_postcode_directory_is_refused_before_any_row() -> None:
    with pytest.raises(ReferenceFileError, match="no pcds/pcd column"):
        list(read_postcodes(io.StringIO("postcode,area\nW10 5EF,x\n"), PostcodeTally()))


_cells = st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=12)


def _csv_text(header: list[str], rows: list[list[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.sampled_from(["pcds", "laua", "doterm", "lsoa11", "lsoa21", "x", "pcd"]), min_size=1, max_size=6
    ),
    st.lists(st.lists(_cells, max_size=7), max_size=8),
)
def test_any_postcode_file_gives_rows_or_a_clear_refusal_never_a_crash(
    header: list[str], rows: list[list[str]]
) -> None:
    tally = PostcodeTally()
    refusal = ""
    try:
        out = list(read_postcodes(io.StringIO(_csv_text(header, rows), newline=""), tally))
    except ReferenceFileError as error:
        refusal = error.message
    if refusal:
        assert "Expected the ONS postcode directory" in refusal
    else:
        assert len(out) + tally.skipped == tally.rows


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=400))
def test_any_bytes_as_an_imd_or_la_file_give_rows_or_a_clear_refusal(data: bytes) -> None:
    for reader in (read_imd, read_local_authorities):
        refusal = ""
        try:
            rows, problems = reader(_lines(data))
        except (ReferenceFileError, TextFileError) as error:
            refusal = error.message or "(no message)"
        if refusal:
            assert not refusal.startswith("(no message)")
        else:
            assert isinstance(rows, list)
            assert isinstance(problems, list)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(_cells, st.integers(-5, 40_000), st.integers(-2, 12)), max_size=10))
def test_imd_rows_with_any_values_are_read_or_reported(values: list[tuple[str, int, int]]) -> None:
    lines = [
        _csv_text([code, "name", "E09000001", "Somewhere", f"{rank:,}", str(decile)], []).rstrip("\r\n")
        for code, rank, decile in values
    ]
    data = imd_bytes(lines)
    try:
        rows, problems = read_imd(_lines(data))
    except ReferenceFileError:
        return
    assert len(rows) + len(problems) <= len(values)
