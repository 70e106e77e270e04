from __future__ import annotations

import gzip
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from devicebank.core.models import Event, EventKind
from devicebank.core.textfiles import decode_text
from devicebank.places import services
from devicebank.places.models import DatasetLoad, District, LocalAuthority, Lsoa, Postcode
from devicebank.places.readers import ReferenceFileError
from devicebank.places.services import (
    districts_link_from_schools,
    imd_load,
    local_authorities_load,
    postcodes_load,
)
from devicebank.places.tests.conftest import NSPL_HEADER, REAL_IMD, REAL_LAS, imd_bytes, nspl_line

pytestmark = pytest.mark.django_db


def _lines(data: bytes) -> io.StringIO:
    return io.StringIO(decode_text(data)[0], newline="")


def _load_las(la_file: Path) -> None:
    local_authorities_load(lines=_lines(la_file.read_bytes()), file_name="las.csv", by=None)


def test_loading_the_local_authorities_creates_them_and_a_second_load_changes_nothing(la_file: Path) -> None:
    first = local_authorities_load(lines=_lines(la_file.read_bytes()), file_name="las.csv", by=None)
    again = local_authorities_load(lines=_lines(la_file.read_bytes()), file_name="las.csv", by=None)
    assert (first.created, again.created, again.updated, again.unchanged) == (5, 0, 0, 5)
    assert LocalAuthority.objects.get(gias_code="886").name == "Kent"
    assert Event.objects.filter(kind=EventKind.REFERENCE_DATA_LOADED).count() == 2


def test_a_renamed_authority_is_updated_in_place(la_file: Path) -> None:
    _load_las(la_file)
    local_authorities_load(
        lines=io.StringIO("Local Authority GIAS ID,Local Authority Name\n202,Camden Town\n"),
        file_name="x.csv",
        by=None,
    )
    assert LocalAuthority.objects.get(gias_code="202").name == "Camden Town"
    assert LocalAuthority.objects.count() == 5


def test_one_bad_row_refuses_the_whole_local_authority_file() -> None:
    with pytest.raises(ReferenceFileError, match=r"Nothing was loaded: 1 rows .* row 3: GIAS ID 'x'"):
        local_authorities_load(
            lines=io.StringIO("Local Authority GIAS ID,Local Authority Name\n202,Camden\nx,Nowhere\n"),
            file_name="x.csv",
            by=None,
        )
    assert not LocalAuthority.objects.exists()
    assert not DatasetLoad.objects.exists()


@pytest.mark.skipif(not REAL_LAS.exists() or not REAL_IMD.exists(), reason="the shared samples are not here")
def test_the_real_files_load_and_most_unitary_authorities_get_their_ons_code() -> None:
    call_command("load-local-authorities", str(REAL_LAS), stdout=io.StringIO())
    call_command("import-imd", str(REAL_IMD), stdout=io.StringIO())
    assert LocalAuthority.objects.count() == 151
    assert Lsoa.objects.count() == 32_844
    assert LocalAuthority.objects.get(gias_code="207").ons_code == "E09000020"
    assert LocalAuthority.objects.exclude(ons_code="").count() >= 118  # the exact name matches, at least


def test_the_imd_loads_with_its_districts_and_links_them_to_authorities_by_name(la_file: Path) -> None:
    _load_las(la_file)
    result = imd_load(lines=_lines(imd_bytes()), file_name="imd.csv", by=None)
    assert result.created == 4
    lsoa = Lsoa.objects.get(code="E01000001")
    assert (lsoa.imd_rank, lsoa.imd_decile, lsoa.district_code) == (29199, 9, "E09000001")
    camden = LocalAuthority.objects.get(gias_code="202")
    assert camden.ons_code == "E09000007"
    assert District.objects.get(code="E09000007").local_authority == camden
    # Ashford is a Kent district: no name match, so no authority until schools say so.
    assert District.objects.get(code="E07000105").local_authority is None


def test_reloading_the_imd_updates_ranks_in_place() -> None:
    imd_load(lines=_lines(imd_bytes()), file_name="imd.csv", by=None)
    result = imd_load(
        lines=_lines(imd_bytes(['E01000001,City of London 001A,E09000001,City of London,"1,000",1'])),
        file_name="imd2.csv",
        by=None,
    )
    assert (result.created, result.updated) == (0, 1)
    assert Lsoa.objects.get(code="E01000001").imd_rank == 1000
    assert Lsoa.objects.count() == 4


def test_a_bad_imd_row_loads_nothing() -> None:
    with pytest.raises(ReferenceFileError, match="Nothing was loaded"):
        imd_load(
            lines=_lines(imd_bytes([*map(str, []), "E01000001,a,E09000001,b,xx,1"])), file_name="i", by=None
        )
    assert not Lsoa.objects.exists()


def test_schools_teach_which_authority_a_county_district_belongs_to(la_file: Path) -> None:
    _load_las(la_file)
    imd_load(lines=_lines(imd_bytes()), file_name="imd.csv", by=None)
    districts_link_from_schools(
        [
            ("886", "E07000105", "Ashford"),
            ("886", "E07000105", "Ashford"),
            ("202", "E07000105", "Ashford"),
            ("800", "E06000022", "Bath and North East Somerset"),
            ("886", "E07000110", "Maidstone"),
        ]
    )
    kent = LocalAuthority.objects.get(gias_code="886")
    assert District.objects.get(code="E07000105").local_authority == kent
    assert District.objects.get(code="E07000110").name == "Maidstone"
    assert kent.ons_code == ""  # a county has several districts: no single code
    assert LocalAuthority.objects.get(gias_code="800").ons_code == "E06000022"


def _directory(rows: int, *, terminated_every: int = 4) -> Iterator[str]:
    """A generated NSPL file, one line at a time (never held whole)."""
    yield NSPL_HEADER + "\n"
    for i in range(rows):
        area, unit = divmod(i, 400)
        letters = "ABDEFGHJLNPQRSTUWXYZ"
        pcds = f"AB{area % 100} {unit % 10}{letters[unit // 20 % 20]}{letters[unit % 20]}"
        doterm = "201506" if i % terminated_every == 0 else ""
        yield nspl_line(pcds, f"E09{i % 33:06d}", f"E01{i % 32844:06d}", doterm) + "\n"


def test_the_postcode_directory_is_streamed_in_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(services, "POSTCODE_CHUNK", 1000)
    seen: list[int] = []
    result = postcodes_load(lines=_directory(4_321), file_name="nspl.csv", by=None, progress=seen.append)
    assert result.loaded == 4_321
    assert Postcode.objects.count() == 4_321
    assert seen == [1000, 2000, 3000, 4000, 4321]
    assert result.tally.terminated == 1081
    assert District.objects.filter(code="E09000032").exists()
    load = DatasetLoad.objects.get(dataset="postcodes")
    assert (load.rows_read, load.rows_loaded, load.rows_skipped) == (4_321, 4_321, 0)
    event = Event.objects.get(kind=EventKind.REFERENCE_DATA_LOADED, subject_id=load.pk)
    assert event.data == {"dataset": "postcodes", "rows_loaded": 4321, "rows_skipped": 0}
    assert event.reason == ""


def test_a_new_directory_replaces_the_old_one_whole() -> None:
    postcodes_load(lines=_directory(50), file_name="old.csv", by=None)
    postcodes_load(
        lines=iter([NSPL_HEADER, "\n", nspl_line("W10 5EF", "E09000020", "E01002843")]),
        file_name="new.csv",
        by=None,
    )
    assert list(Postcode.objects.values_list("key", flat=True)) == ["W105EF"]


def test_a_file_that_is_not_a_directory_keeps_the_old_one() -> None:
    postcodes_load(lines=_directory(10), file_name="old.csv", by=None)
    with pytest.raises(ReferenceFileError):
        postcodes_load(lines=iter(["name,town\n", "a,b\n"]), file_name="wrong.csv", by=None)
    with pytest.raises(
        ReferenceFileError, match=r"No postcodes could be read.*row 2: 'nope' is not a UK postcode"
    ):
        postcodes_load(lines=iter(["pcds,laua\n", "nope,E09000001\n"]), file_name="bad.csv", by=None)
    assert Postcode.objects.count() == 10


def test_the_import_postcodes_command_reads_a_gzipped_directory(tmp_path: Path) -> None:
    path = tmp_path / "NSPL_TEST.csv.gz"
    with gzip.open(path, "wt", encoding="utf-8", newline="") as out:
        out.writelines(_directory(500))
    stdout = io.StringIO()
    call_command("import-postcodes", str(path), "--quiet", stdout=stdout)
    assert "500 postcodes loaded (125 terminated), 0 rows skipped" in stdout.getvalue()


def test_the_commands_refuse_a_missing_or_wrong_file_with_a_message(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="no such file"):
        call_command("import-imd", str(tmp_path / "nope.csv"))
    wrong = tmp_path / "wrong.csv"
    wrong.write_bytes(b"\x00\x01\x02binary")
    with pytest.raises(CommandError, match="not a text"):
        call_command("import-postcodes", str(wrong))
    wrong.write_text("a,b\n1,2\n")
    with pytest.raises(CommandError, match="no Local Authority GIAS ID or Local Authority Name column"):
        call_command("load-local-authorities", str(wrong))
