"""Schools and GIAS imports in the permission matrix (devicebank/core/tests/test_permission_matrix.py).

`prepare` gives the world's school its GIAS record (`world.gias_school`, URN 100001, run by the trust), adds a
school nobody in the world belongs to (`world.other_school`) and a checked GIAS import with one refused row
(`world.school_import`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from devicebank.conftest import World
from devicebank.core.tests.matrix import ALL, OPERATORS, Case, _status

IMPORTERS = {
    "admin",
    "manager",
    "outsider",
}  # programme managers (the outsider in its own programme) and admins
SEES_ALL_SCHOOLS = OPERATORS | {"outsider"}  # everyone who works in a programme
SEES_OUR_SCHOOL = SEES_ALL_SCHOOLS | {"school", "trust"}  # plus its own staff and its trust's

GIAS = (
    b'"URN","LA (code)","LA (name)","EstablishmentName","EstablishmentStatus (name)"\r\n'
    b'"100010","202","Camden","Matrix Primary School","Open"\r\n'
    b'"not a urn","202","Camden","Broken Row School","Open"\r\n'
)


def prepare(world: World) -> None:
    from devicebank.people.models import Organisation
    from devicebank.people.roles import OrganisationKind
    from devicebank.recipients.models import School
    from devicebank.recipients.services import school_import_start

    world.gias_school = School.objects.create(organisation=world.school, urn=100001)  # type: ignore[attr-defined]
    elsewhere = Organisation.objects.create(
        name="Elsewhere School", kind=OrganisationKind.SCHOOL, urn="100002"
    )
    world.other_school = School.objects.create(organisation=elsewhere, urn=100002)  # type: ignore[attr-defined]
    world.school_import = school_import_start(  # type: ignore[attr-defined]
        file_name="matrix.csv", data=GIAS, by=world.user("manager")
    )


def _upload(world: World) -> dict[str, Any]:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return {"file": SimpleUploadedFile("gias.csv", GIAS)}


def _imp(suffix: str) -> Callable[[World], str]:
    return lambda w: f"/schools/import/{w.school_import.pk}/{suffix}"  # type: ignore[attr-defined]


def _api_imp(suffix: str) -> Callable[[World], str]:
    return lambda w: f"/api/v1/school-imports/{w.school_import.pk}/{suffix}"  # type: ignore[attr-defined]


CASES = [
    Case("recipients:school-list", "GET", lambda w: "/schools/", _status(ALL, 200, 200)),
    Case("recipients:school-list", "GET", lambda w: "/schools/?q=100001", _status(ALL, 200, 200)),
    Case("recipients:school-detail", "GET", lambda w: "/schools/100001/", _status(SEES_OUR_SCHOOL, 200, 404)),
    Case(
        "recipients:school-detail", "GET", lambda w: "/schools/100002/", _status(SEES_ALL_SCHOOLS, 200, 404)
    ),
    Case("recipients:import-upload", "GET", lambda w: "/schools/import/", _status(IMPORTERS, 200, 403)),
    Case(
        "recipients:import-upload",
        "POST",
        lambda w: "/schools/import/",
        _status(IMPORTERS, 302, 403),
        data=_upload,
    ),
    Case("recipients:import", "GET", _imp(""), _status(IMPORTERS, 200, 404)),
    Case(
        "recipients:import",
        "POST",
        _imp(""),
        _status(IMPORTERS, 302, 404),
        data=lambda w: {"mode": "valid_rows"},
    ),
    Case("recipients:import-status", "GET", _imp("status/"), _status(IMPORTERS, 200, 404)),
    Case("recipients:import-rejected", "GET", _imp("rejected.csv"), _status(IMPORTERS, 200, 404)),
    Case("api-school-list", "GET", lambda w: "/api/v1/schools/", _status(ALL, 200, 200)),
    Case("api-school-detail", "GET", lambda w: "/api/v1/schools/100001/", _status(SEES_OUR_SCHOOL, 200, 404)),
    Case(
        "api-school-detail", "GET", lambda w: "/api/v1/schools/100002/", _status(SEES_ALL_SCHOOLS, 200, 404)
    ),
    Case(
        "api-school-import-upload",
        "POST",
        lambda w: "/api/v1/school-imports/",
        _status(IMPORTERS, 201, 403),
        data=_upload,
    ),
    Case("api-school-import", "GET", _api_imp(""), _status(IMPORTERS, 200, 404)),
    Case(
        "api-school-import-confirm",
        "POST",
        _api_imp("confirm/"),
        # importing is a role, not a record: those without it are refused before any import is looked up
        _status(IMPORTERS, 202, 403),
        data=lambda w: {"mode": "valid_rows"},
        json=True,
    ),
]
