from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from devicebank.core.errors import DomainError
from devicebank.core.models import Event, EventKind
from devicebank.people.models import Organisation
from devicebank.people.roles import OrganisationKind
from devicebank.places.models import District, LocalAuthority
from devicebank.places.tests.conftest import FIXTURES as PLACES_FIXTURES
from devicebank.recipients.models import ResponsibleBody, School, SchoolImport
from devicebank.recipients.services import schools_import_file
from devicebank.recipients.tests.conftest import FIXTURE, fixture_rows, gias_bytes

pytestmark = pytest.mark.django_db


def _import(data: bytes | None = None, **options: bool) -> object:
    return schools_import_file(
        file_name="gias.csv", data=FIXTURE.read_bytes() if data is None else data, by=None, **options
    )


def _run(path: Path, *args: str) -> tuple[list[dict[str, object]], int]:
    out = io.StringIO()
    code = 0
    try:
        call_command("import-schools", str(path), "--json", *args, stdout=out, stderr=io.StringIO())
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    return [json.loads(line) for line in out.getvalue().splitlines()], code


def test_every_school_becomes_an_organisation_with_its_gias_record() -> None:
    result = _import()
    assert result.counts.as_json() == {"rows": 7, "created": 7, "updated": 0, "unchanged": 0, "rejected": 0}
    school = School.objects.select_related("organisation").get(urn=100001)
    assert school.organisation.kind == OrganisationKind.SCHOOL
    assert school.organisation.name == "St Mary's Church of England Primary School"
    assert school.organisation.postcode == "NW6 4PG"
    assert school.organisation.urn == "100001"
    assert (school.phase, school.pupils, str(school.fsm_percent), school.lsoa_code) == (
        "Primary",
        205,
        "31.20",
        "E01000907",
    )


def test_two_schools_may_share_a_name() -> None:
    _import()
    assert Organisation.objects.filter(name="St Mary's Church of England Primary School").count() == 2


def test_schools_hang_under_their_responsible_body() -> None:
    _import()
    parent = {s.urn: s.organisation.parent for s in School.objects.select_related("organisation__parent")}
    assert parent[100001].name == "Camden (local authority)"
    assert parent[100002].name == "KENT ACADEMIES TRUST"
    assert parent[100003] is None  # independent: no responsible body
    # A foundation school supported by a charitable trust is still the authority's.
    assert parent[100006].name == "Bath and NE Somerset (local authority)"
    body = ResponsibleBody.objects.get(trust_code="4037")
    assert body.kind == "trust"
    assert body.organisation.kind == OrganisationKind.RESPONSIBLE_BODY
    assert ResponsibleBody.objects.get(local_authority__gias_code="202").organisation == parent[100001]


def test_authorities_are_created_from_the_extract_when_the_list_was_not_loaded_and_districts_linked() -> None:
    _import()
    assert LocalAuthority.objects.get(gias_code="886").name == "Kent"
    kent_districts = set(
        District.objects.filter(local_authority__gias_code="886").values_list("code", flat=True)
    )
    assert kent_districts == {"E07000105", "E07000110"}
    assert LocalAuthority.objects.get(gias_code="202").ons_code == "E09000007"
    assert LocalAuthority.objects.get(gias_code="886").ons_code == ""


def test_a_loaded_authority_list_is_used_not_duplicated() -> None:
    call_command(
        "load-local-authorities", str(PLACES_FIXTURES / "local-authorities.csv"), stdout=io.StringIO()
    )
    _import()
    assert LocalAuthority.objects.filter(gias_code="202").count() == 1
    assert School.objects.get(urn=100001).local_authority == LocalAuthority.objects.get(gias_code="202")


def test_closed_schools_are_marked_closed_and_independent_ones_flagged() -> None:
    _import()
    closed = School.objects.select_related("organisation").get(urn=100004)
    assert not closed.is_open
    assert not closed.organisation.is_active
    assert set(School.objects.filter(is_independent=True).values_list("urn", flat=True)) == {100003}
    assert 100003 not in set(School.objects.state_funded().values_list("urn", flat=True))
    assert 100004 not in set(School.objects.open().values_list("urn", flat=True))


def test_importing_the_same_file_again_changes_nothing() -> None:
    _import()
    events = Event.objects.count()
    result = _import()
    assert result.counts.as_json() == {"rows": 7, "created": 0, "updated": 0, "unchanged": 7, "rejected": 0}
    assert Event.objects.count() == events + 1  # only the import's own event


def test_a_reimport_updates_in_place_and_marks_a_school_that_closed() -> None:
    _import()
    rows = fixture_rows()
    rows[0]["NumberOfPupils"] = "270"
    rows[1]["EstablishmentStatus (name)"] = "Closed"
    rows[1]["CloseDate"] = "31-08-2026"
    result = _import(gias_bytes(rows))
    assert (result.counts.created, result.counts.updated, result.counts.unchanged) == (0, 2, 5)
    assert School.objects.get(urn=100000).pupils == 270
    closed = School.objects.get(urn=100001)
    assert not closed.is_open
    assert closed.organisation.is_active is False
    assert School.objects.count() == 7
    event = Event.objects.get(kind=EventKind.SCHOOL_CLOSED)
    assert event.subject_id == closed.pk
    assert event.data == {"import_id": result.imp.pk, "fields": ["closed_on", "is_open", "status"]}
    changed = Event.objects.get(kind=EventKind.SCHOOL_DETAILS_CHANGED)
    assert changed.data["fields"] == ["pupils"]


def test_a_reimport_with_the_columns_in_another_order_changes_nothing() -> None:
    _import()
    rows = fixture_rows()
    result = _import(gias_bytes(rows, columns=sorted(rows[0])))
    assert result.counts.unchanged == 7


def test_a_column_missing_from_a_later_extract_leaves_that_field_alone() -> None:
    _import()
    rows = fixture_rows()
    columns = [c for c in rows[0] if c not in ("NumberOfPupils", "Postcode")]
    result = _import(gias_bytes(rows, columns=columns))
    assert result.counts.unchanged == 7
    assert School.objects.get(urn=100000).pupils == 263


def test_a_windows_1252_extract_imports_with_its_names_intact() -> None:
    rows = fixture_rows()
    rows[1]["EstablishmentName"] = "St Mary’s Church of England Primary School"
    _import(gias_bytes(rows, encoding="windows-1252"))
    assert School.objects.get(urn=100001).organisation.name == "St Mary’s Church of England Primary School"


def test_a_moved_academy_changes_responsible_body() -> None:
    _import()
    rows = fixture_rows()
    rows[2]["Trusts (code)"], rows[2]["Trusts (name)"] = "4999", "WEALD LEARNING TRUST"
    result = _import(gias_bytes(rows))
    assert result.counts.updated == 1
    assert School.objects.get(urn=100002).organisation.parent.name == "WEALD LEARNING TRUST"


def test_an_organisation_set_up_by_hand_is_adopted_as_the_trust() -> None:
    hand_made = Organisation.objects.create(
        name="KENT ACADEMIES TRUST", kind=OrganisationKind.RESPONSIBLE_BODY
    )
    _import()
    assert School.objects.get(urn=100002).organisation.parent == hand_made


def test_one_refused_row_refuses_the_file_unless_valid_rows_are_asked_for() -> None:
    rows = fixture_rows()
    rows[3]["URN"] = "not a urn"
    refused = _import(gias_bytes(rows))
    assert refused.refused == "1 rows have problems, so nothing was imported. Fix them, or use --valid-rows."
    assert refused.counts.as_json() == {"rows": 7, "created": 0, "updated": 0, "unchanged": 0, "rejected": 1}
    assert not School.objects.exists()
    assert not SchoolImport.objects.exists()
    valid = _import(gias_bytes(rows), valid_rows=True)
    assert valid.counts.as_json() == {"rows": 7, "created": 6, "updated": 0, "unchanged": 0, "rejected": 1}
    assert valid.imp.rejected_rows == [
        {
            "row": 5,
            "urn": None,
            "name": "Hampstead Heath Independent School",
            "error": "URN 'not a urn' is not a URN (a whole number like 100000)",
        }
    ]


def test_a_dry_run_says_what_would_happen_and_writes_nothing() -> None:
    result = _import(dry_run=True)
    assert result.counts.created == 7
    assert not School.objects.exists()
    assert not Organisation.objects.exists()
    assert not Event.objects.exists()


def test_events_carry_ids_and_counts_never_names_or_free_text() -> None:
    result = _import()
    events = list(Event.objects.all())
    assert {e.kind for e in events} == {EventKind.SCHOOL_REGISTERED, EventKind.SCHOOLS_IMPORTED}
    for event in events:
        assert event.reason == ""
        assert all(isinstance(value, int | str) for value in event.data.values())
        assert "St Mary" not in json.dumps(event.data)
    summary = Event.objects.get(kind=EventKind.SCHOOLS_IMPORTED)
    assert summary.subject_id == result.imp.pk
    assert summary.data == {
        "rows": 7,
        "created": 7,
        "updated": 0,
        "unchanged": 0,
        "rejected": 0,
        "mode": "all_or_nothing",
    }


def test_the_command_prints_one_json_object_per_row_then_the_summary(tmp_path: Path) -> None:
    lines, code = _run(FIXTURE)
    assert code == 0
    assert len(lines) == 8
    assert lines[-1] == {"summary": {"rows": 7, "created": 7, "updated": 0, "unchanged": 0, "rejected": 0}}
    assert lines[0] == {
        "row": 2,
        "urn": 100000,
        "name": "The Aldgate School",
        "la_code": "201",
        "la_name": "City of London",
        "type": "Voluntary aided school",
        "phase": "Primary",
        "status": "Open",
        "postcode": "EC3A 5DE",
        "lsoa": "E01032739",
        "pupils": 263,
        "fsm_percent": 8.4,
        "opened_on": None,
        "error": None,
    }
    again, _ = _run(FIXTURE)
    assert again[-1] == {"summary": {"rows": 7, "created": 0, "updated": 0, "unchanged": 7, "rejected": 0}}


def test_the_command_exits_1_and_says_why_each_refused_row_was_refused(tmp_path: Path) -> None:
    rows = fixture_rows()
    rows[0]["URN"] = "99999999999"
    path = tmp_path / "bad.csv"
    path.write_bytes(gias_bytes(rows))
    lines, code = _run(path)
    assert code == 1
    assert lines[0]["error"] == "URN '99999999999' is not a URN (a whole number like 100000)"
    assert lines[0]["urn"] is None
    assert lines[1]["error"] is None
    assert lines[-1]["summary"]["rejected"] == 1
    lines, code = _run(path, "--valid-rows")
    assert code == 0
    assert lines[-1]["summary"] == {"rows": 7, "created": 6, "updated": 0, "unchanged": 0, "rejected": 1}


def test_the_command_refuses_a_file_that_is_not_gias(tmp_path: Path) -> None:
    path = tmp_path / "other.csv"
    path.write_text("Serial,Make\n1,Dell\n")
    out = io.StringIO()
    with pytest.raises(CommandError, match="no URN, EstablishmentName"):
        call_command("import-schools", str(path), "--json", stdout=out)
    assert json.loads(out.getvalue()) == {
        "error": (
            "The file has no URN, EstablishmentName, LA (code) column. Expected a GIAS establishment download "
            "(Get Information About Schools: Download, establishment fields, CSV)."
        )
    }


def test_a_person_who_may_not_import_is_refused(world: object) -> None:
    with pytest.raises(DomainError, match="does not allow you to import schools"):
        schools_import_file(file_name="g.csv", data=FIXTURE.read_bytes(), by=world.user("technician"))  # type: ignore[attr-defined]
    assert (
        schools_import_file(
            file_name="g.csv", data=FIXTURE.read_bytes(), by=world.user("manager")
        ).counts.created
        == 7
    )  # type: ignore[attr-defined]
