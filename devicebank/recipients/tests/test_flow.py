"""The upload flow the page and the API share: start (check) -> queue (confirm) -> run (background job)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from devicebank.conftest import World
from devicebank.core.errors import DomainError, NotPermitted
from devicebank.core.evidence import evidence_storage, evidence_store
from devicebank.recipients.models import School, SchoolImport
from devicebank.recipients.selectors import school_list
from devicebank.recipients.services import school_import_queue, school_import_run, school_import_start
from devicebank.recipients.tests.conftest import FIXTURE, fixture_rows, gias_bytes


def _bad_file() -> bytes:
    rows = fixture_rows()
    rows[0]["OpenDate"] = "yesterday"
    return gias_bytes(rows)


def test_an_upload_is_checked_and_kept_until_it_is_imported(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    manager = world.user("manager")
    imp = school_import_start(file_name="gias.csv", data=FIXTURE.read_bytes(), by=manager)
    kept = imp.stored_file
    assert evidence_storage().exists(kept)
    assert (imp.status, imp.rows_total, imp.created, imp.rejected) == ("checked", 7, 7, 0)
    assert not School.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        school_import_queue(imp=imp, mode="all_or_nothing", by=manager)
    imp.refresh_from_db()
    assert imp.status == "completed"
    assert imp.created == 7
    assert imp.stored_file == ""
    assert not evidence_storage().exists(kept)  # GIAS data is public: the file is kept only for the job
    assert School.objects.count() == 7
    assert school_import_run(import_id=imp.pk).status == "completed"  # a second run does nothing
    assert School.objects.count() == 7


def test_a_file_with_refused_rows_must_be_imported_valid_rows_only(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    manager = world.user("manager")
    imp = school_import_start(file_name="gias.csv", data=_bad_file(), by=manager)
    assert imp.rejected_rows == [
        {
            "row": 2,
            "urn": 100000,
            "name": "The Aldgate School",
            "error": "OpenDate 'yesterday' is not a date (dd-mm-yyyy)",
        }
    ]
    with pytest.raises(DomainError, match="1 rows have problems"):
        school_import_queue(imp=imp, mode="all_or_nothing", by=manager)
    with django_capture_on_commit_callbacks(execute=True):
        school_import_queue(imp=imp, mode="valid_rows", by=manager)
    imp.refresh_from_db()
    assert (imp.status, imp.created, imp.rejected) == ("completed", 6, 1)


def test_only_programme_managers_and_admins_may_upload(world: World) -> None:
    for persona in ("technician", "warehouse", "school", "trust", "donor", "funder", "referrer"):
        with pytest.raises(NotPermitted):
            school_import_start(file_name="gias.csv", data=FIXTURE.read_bytes(), by=world.user(persona))
    assert (
        school_import_start(file_name="g.csv", data=FIXTURE.read_bytes(), by=world.user("admin")).rows_total
        == 7
    )


def test_an_import_that_breaks_part_way_fails_with_a_reason_and_writes_nothing(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    imp = school_import_start(file_name="gias.csv", data=FIXTURE.read_bytes(), by=world.user("manager"))
    broken = evidence_store(b"not gias at all", folder="school-imports")
    SchoolImport.objects.filter(pk=imp.pk).update(
        status="queued", stored_file=broken.name, file_sha256=broken.sha256
    )
    with django_capture_on_commit_callbacks(execute=True):  # the file goes once the failure is committed
        imp = school_import_run(import_id=imp.pk)
    assert imp.status == "failed"
    assert "no URN, EstablishmentName" in imp.error
    assert imp.stored_file == ""
    assert not evidence_storage().exists(broken.name)  # the kept file goes when the job fails
    assert not School.objects.exists()


@pytest.fixture
def imported(world: World, django_capture_on_commit_callbacks: Any) -> World:
    from devicebank.people.models import Organisation
    from devicebank.people.services import membership_grant

    manager = world.user("manager")
    imp = school_import_start(file_name="gias.csv", data=FIXTURE.read_bytes(), by=manager)
    with django_capture_on_commit_callbacks(execute=True):
        school_import_queue(imp=imp, mode="all_or_nothing", by=manager)
    # The world's school staff join a GIAS school; the trust's staff join the academy trust.
    aldgate = School.objects.get(urn=100000).organisation
    trust = Organisation.objects.get(name="KENT ACADEMIES TRUST")
    membership_grant(user=world.user("school"), organisation=aldgate, role="organisation_staff", by=None)
    membership_grant(user=world.user("trust"), organisation=trust, role="organisation_staff", by=None)
    return world


def _urns(world: World, persona: str) -> set[int]:
    from devicebank.people.access import forget_scope

    user = world.user(persona)
    forget_scope(user)
    return set(school_list(user=user).values_list("urn", flat=True))


def test_everyone_in_a_programme_sees_every_school_and_staff_their_own(imported: World) -> None:
    everything = {100000, 100001, 100002, 100003, 100004, 100005, 100006}
    for persona in ("admin", "manager", "technician", "warehouse", "outsider"):
        assert _urns(imported, persona) == everything, persona
    assert _urns(imported, "school") == {100000}
    assert _urns(imported, "trust") == {100002}  # the academy its trust runs
    for persona in ("donor", "funder", "referrer"):
        assert _urns(imported, persona) == set(), persona


def test_the_school_pages_show_and_search_within_scope(imported: World) -> None:
    client = Client()
    client.force_login(imported.user("manager"))
    page = client.get("/schools/?q=st+mary")
    assert page.status_code == 200
    assert page.content.decode().count("St Mary&#x27;s Church of England Primary School") == 2
    detail = client.get("/schools/100003/").content.decode()
    assert "Independent schools" in detail
    assert "None (independent or not known)" in detail
    client.force_login(imported.user("school"))
    assert client.get("/schools/100001/").status_code == 404
    assert "The Aldgate School" in client.get("/schools/").content.decode()


def test_the_upload_page_takes_a_file_through_check_and_import(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    client = Client()
    client.force_login(world.user("manager"))
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post("/schools/import/", {"file": SimpleUploadedFile("gias.csv", _bad_file())})
    assert response.status_code == 302
    check = client.get(response["Location"]).content.decode()
    assert "Check the result" in check
    assert "OpenDate &#x27;yesterday&#x27; is not a date (dd-mm-yyyy)" in check
    refused = client.post(response["Location"], {"mode": "all_or_nothing"})
    assert refused.status_code == 400
    assert "1 rows have problems" in refused.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        queued = client.post(response["Location"], {"mode": "valid_rows"})
    assert queued.status_code == 302
    assert "Schools imported" in client.get(response["Location"]).content.decode()
    report = client.get(response["Location"] + "rejected.csv")
    assert (
        report.content.decode("utf-8-sig").splitlines()[1]
        == "2,100000,The Aldgate School,OpenDate 'yesterday' is not a date (dd-mm-yyyy)"
    )


def test_an_unusable_upload_says_why_on_the_form(world: World) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = Client()
    client.force_login(world.user("admin"))
    response = client.post("/schools/import/", {"file": SimpleUploadedFile("list.csv", b"Name\nA school\n")})
    assert response.status_code == 400
    assert "list.csv: The file has no URN, EstablishmentName, LA (code) column" in response.content.decode()


def test_the_api_uploads_confirms_and_reports(world: World, django_capture_on_commit_callbacks: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = Client()
    client.force_login(world.user("manager"))
    created = client.post(
        "/api/v1/school-imports/", {"file": SimpleUploadedFile("gias.csv", FIXTURE.read_bytes())}
    )
    assert created.status_code == 201
    body = created.json()
    assert (body["status"], body["created"], body["rejected"]) == ("checked", 7, 0)
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = client.post(
            f"/api/v1/school-imports/{body['id']}/confirm/",
            {"mode": "all_or_nothing"},
            content_type="application/json",
        )
    assert confirmed.status_code == 202
    assert client.get(f"/api/v1/school-imports/{body['id']}/").json()["status"] == "completed"
    school = client.get("/api/v1/schools/100002/").json()
    assert school["name"] == "St Mary's Church of England Primary School"
    assert school["la_code"] == "886"
    assert school["fsm_percent"] == 12.0
    assert school["is_independent"] is False
    listed = client.get("/api/v1/schools/?q=TN23 1AA").json()
    assert [s["urn"] for s in listed["results"]] == [100002]
    bad = client.post("/api/v1/school-imports/", {"file": SimpleUploadedFile("x.csv", b"\x00\x00")})
    assert bad.status_code == 400
    assert bad.json()["error"]["fields"]["file"][0].startswith("x.csv: The file is not a text (CSV) file")
    assert client.get("/api/v1/schools/999999999/").status_code == 400
