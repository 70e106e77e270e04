from __future__ import annotations

import datetime as dt
import gzip
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from devicebank.recipients.gias import GiasFileError, read_gias
from devicebank.recipients.tests.conftest import FIXTURE, fixture_rows, gias_bytes

JSON_KEYS = [
    "row",
    "urn",
    "name",
    "la_code",
    "la_name",
    "type",
    "phase",
    "status",
    "postcode",
    "lsoa",
    "pupils",
    "fsm_percent",
    "opened_on",
    "error",
]


def test_it_reads_every_establishment_of_a_quoted_gias_extract() -> None:
    gias = read_gias(FIXTURE.read_bytes())
    assert [row.urn for row in gias.rows] == [100000, 100001, 100002, 100003, 100004, 100005, 100006]
    assert all(row.ok for row in gias.rows)
    assert gias.encoding == "utf-8"
    assert gias.ignored_headers == 49 - 25  # head teachers' names, websites, phone numbers... are not read


def test_values_are_typed_dates_from_day_month_year_and_codes_kept_as_strings() -> None:
    academy = read_gias(FIXTURE.read_bytes()).rows[2].values
    assert academy["name"] == "St Mary's Church of England Primary School"
    assert academy["la_code"] == "886"
    assert academy["opened_on"] == dt.date(2015, 9, 1)
    assert academy["pupils"] == 410
    assert academy["fsm_percent"] == Decimal("12.00")
    assert academy["postcode"] == "TN23 1AA"
    assert academy["trust_code"] == "4037"


def test_suppressed_and_blank_figures_are_unknown_not_errors() -> None:
    rows = read_gias(FIXTURE.read_bytes()).rows
    assert rows[5].values["fsm_percent"] is None  # "SUPP"
    assert rows[4].values["pupils"] is None
    assert rows[4].values["closed_on"] == dt.date(2014, 8, 31)


def test_the_json_of_a_row_has_exactly_the_documented_keys_and_types() -> None:
    row = read_gias(FIXTURE.read_bytes()).rows[2].as_json()
    assert list(row) == JSON_KEYS
    assert row == {
        "row": 4,
        "urn": 100002,
        "name": "St Mary's Church of England Primary School",
        "la_code": "886",
        "la_name": "Kent",
        "type": "Academy converter",
        "phase": "Primary",
        "status": "Open",
        "postcode": "TN23 1AA",
        "lsoa": "E01024031",
        "pupils": 410,
        "fsm_percent": 12.0,
        "opened_on": "2015-09-01",
        "error": None,
    }


def test_columns_in_another_order_read_the_same() -> None:
    rows = fixture_rows()
    shuffled = list(reversed(list(rows[0])))
    again = read_gias(gias_bytes(rows, columns=shuffled))
    assert [r.values for r in again.rows] == [r.values for r in read_gias(FIXTURE.read_bytes()).rows]


def test_a_windows_1252_download_reads_its_curly_apostrophes() -> None:
    rows = fixture_rows()
    rows[1]["EstablishmentName"] = "St Mary’s Church of England Primary School"
    gias = read_gias(gias_bytes(rows, encoding="windows-1252"))
    assert gias.encoding == "windows-1252"
    assert gias.rows[1].values["name"] == "St Mary’s Church of England Primary School"
    assert gias.warnings == ["The file is not UTF-8; it was read as Windows-1252 (older GIAS downloads are)."]


def test_a_utf8_byte_order_mark_and_gzip_are_taken_in_their_stride() -> None:
    assert read_gias(gias_bytes(bom=True)).rows[0].urn == 100000
    assert read_gias(gzip.compress(gias_bytes(bom=True))).rows[0].urn == 100000


def test_rows_with_bad_values_are_refused_with_the_reason() -> None:
    rows = fixture_rows()
    rows[0]["URN"] = ""
    rows[1]["URN"] = "10000A"
    rows[2]["OpenDate"] = "31-02-2015"
    rows[3]["LA (code)"] = "Camden"
    rows[4]["PercentageFSM"] = "120"
    rows[6]["URN"] = "100005"  # the same URN as the row before
    errors = [row.error for row in read_gias(gias_bytes(rows)).rows]
    assert errors == [
        "URN is blank",
        "URN '10000A' is not a URN (a whole number like 100000)",
        "OpenDate '31-02-2015' is not a date (dd-mm-yyyy)",
        "LA (code) 'Camden' is not a three-digit code like 207",
        "PercentageFSM '120' is not a percentage from 0 to 100",
        None,
        "URN 100005 appears again (first on row 7)",
    ]


def test_a_foreign_postcode_is_left_out_with_a_warning_not_a_refusal() -> None:
    rows = fixture_rows()[:1]
    rows[0]["Postcode"] = "75008"
    row = read_gias(gias_bytes(rows)).rows[0]
    assert row.ok
    assert row.values["postcode"] is None
    assert row.warnings == ["Postcode '75008' is not a UK postcode; it was left out"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty"),
        (b"Name,Town\nA school,Leeds\n", r"no URN, EstablishmentName, LA \(code\) column"),
        (b'"URN","EstablishmentName","LA (code)"\r\n', "a header but no establishments"),
        (b"\x00\x01binary\x00", r"not a text \(CSV\) file"),
        (b"\x1f\x8bnot really gzip", "could not be unpacked"),
    ],
)
def test_a_file_that_cannot_be_used_is_refused_with_what_to_do(data: bytes, message: str) -> None:
    with pytest.raises(GiasFileError, match=message):
        read_gias(data)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=600))
def test_any_bytes_give_rows_or_a_clear_refusal(data: bytes) -> None:
    refusal = ""
    try:
        gias = read_gias(data)
    except GiasFileError as error:
        refusal = error.message
    if refusal:
        assert refusal.endswith((".", "again."))
    else:
        assert all(isinstance(row.as_json(), dict) for row in gias.rows)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.fixed_dictionaries(
            {
                "URN": st.one_of(st.integers(-5, 10**9).map(str), st.text(max_size=8)),
                "EstablishmentName": st.text(max_size=40),
                "LA (code)": st.text(alphabet="0123456789X ", max_size=4),
                "OpenDate": st.one_of(st.dates().map(lambda d: d.strftime("%d-%m-%Y")), st.text(max_size=10)),
                "NumberOfPupils": st.text(alphabet="0123456789,.-S", max_size=8),
                "PercentageFSM": st.text(alphabet="0123456789.-SUPx", max_size=6),
                "Postcode": st.text(max_size=9),
            }
        ),
        min_size=1,
        max_size=6,
    )
)
def test_any_values_in_the_gias_columns_are_read_or_refused_row_by_row(rows: list[dict[str, str]]) -> None:
    cleaned = [{k: v.replace("\x00", "") for k, v in row.items()} for row in rows]
    try:
        gias = read_gias(gias_bytes(cleaned))
    except GiasFileError:
        return  # every row blank: "a header but no establishments"
    for row in gias.rows:
        shown = row.as_json()
        assert list(shown) == JSON_KEYS
        assert (row.error is None) == (shown["error"] is None)
