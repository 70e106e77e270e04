from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest

from devicebank.core.textfiles import decode_text
from devicebank.places.selectors import lsoa_deciles, place_for_postcode, postcode_in_districts
from devicebank.places.services import imd_load, local_authorities_load, postcodes_load
from devicebank.places.tests.conftest import NSPL_HEADER, imd_bytes, nspl_line

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(la_file: Path) -> None:
    local_authorities_load(lines=io.StringIO(decode_text(la_file.read_bytes())[0]), file_name="la", by=None)
    imd_load(lines=io.StringIO(decode_text(imd_bytes())[0]), file_name="imd", by=None)
    lines = [
        NSPL_HEADER,
        nspl_line("W10 5EF", "E09000020", "E01002843"),
        nspl_line("SW1A 2AA", "E09000033", "E01004736", doterm="201903"),
        nspl_line("CF10 1AA", "W06000015", "W01001939"),
        nspl_line("EC1A 1BB", "E09000001", "E01000001", doterm="200112"),
        nspl_line("EC1A 1BB", "E09000001", "E01000001"),  # terminated, then reused
    ]
    postcodes_load(lines=iter(line + "\n" for line in lines), file_name="nspl", by=None)


def test_a_postcode_gives_its_lsoa_authority_and_deprivation(loaded: None) -> None:
    place = place_for_postcode("w105ef")
    assert (place.postcode, place.postcode_district, place.found) == ("W10 5EF", "W10", True)
    assert (place.lsoa_code, place.district_code, place.imd_decile, place.imd_rank) == (
        "E01002843",
        "E09000020",
        1,
        212,
    )
    assert place.local_authority is not None
    assert place.local_authority.gias_code == "207"
    assert place.reason is None


def test_a_reused_postcode_answers_with_its_live_row(loaded: None) -> None:
    place = place_for_postcode("EC1A 1BB")
    assert place.terminated_on is None
    assert place.imd_decile == 9


def test_a_terminated_postcode_still_gives_the_areas_it_had(loaded: None) -> None:
    place = place_for_postcode("SW1A 2AA")
    assert place.found
    assert place.terminated_on == dt.date(2019, 3, 1)
    assert place.reason == "The Index of Multiple Deprivation has no figure for E01004736."


def test_a_welsh_postcode_says_imd_covers_england_only(loaded: None) -> None:
    assert (
        place_for_postcode("CF10 1AA").reason == "The Index of Multiple Deprivation 2019 covers England only."
    )


def test_an_unknown_or_invalid_postcode_says_why(loaded: None) -> None:
    assert (
        place_for_postcode("N11 1NP").reason
        == "N11 1NP is not in the postcode directory: it may be new, or mistyped."
    )
    invalid = place_for_postcode("not one")
    assert (invalid.found, invalid.postcode_district, invalid.reason) == (
        False,
        None,
        "This is not a UK postcode.",
    )


def test_without_the_directory_areas_are_matched_by_postcode_district() -> None:
    place = place_for_postcode("n11 1np")
    assert place.postcode_district == "N11"
    assert not place.found
    assert (
        place.reason
        == "The postcode directory is not loaded, so areas are matched by postcode district (N11)."
    )
    assert postcode_in_districts("N11 1NP", ["n11", "EN4"])
    assert not postcode_in_districts("N12 1NP", ["N11"])
    assert not postcode_in_districts("bad", ["N11"])


def test_deciles_for_many_lsoas_come_in_one_query(loaded: None, django_assert_num_queries: object) -> None:
    with django_assert_num_queries(1):  # type: ignore[operator]
        assert lsoa_deciles(["E01000001", "E01002843", "E01999999", ""]) == {"E01000001": 9, "E01002843": 1}
