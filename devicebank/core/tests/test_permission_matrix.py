"""Every role against every endpoint and method, including another organisation's device; and what lists hold.

`CASES` here and each app's `tests/matrix_cases.py` give every route the project serves (outside the Django
admin's own pages) a row per HTTP method its view answers; a test walks the URLconf and fails when a route or a
method is missing, so a new endpoint cannot ship without its rows. `LIST_CASES` check the contents of lists:
each persona sees exactly its records, restated here from the access rules rather than read from them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from devicebank.conftest import World
from devicebank.core.tests.matrix import (
    ALL,
    CAN_CHANGE,
    CAN_CORRECT,
    CAN_REGISTER,
    CAN_RESERVE,
    OPERATORS,
    PERSONAS,
    READS_DEVICE,
    READS_SCHOOL_DEVICE,
    SEES_DEVICE,
    SEES_OTHER_DEVICE,
    SEES_PROGRAMME,
    SEES_SCHOOL_DEVICE,
    Case,
    _see_then,
    _status,
    app_cases,
    app_preparers,
)

HAS_AUTHENTICATOR = {"admin", "manager", "technician", "outsider"}  # roles that must use two-factor sign-in

CASES: list[Case] = [
    Case("home", "GET", lambda w: "/", _status(ALL, 200, 200)),
    Case("devices:list", "GET", lambda w: "/devices/", _status(ALL, 200, 200)),
    Case("devices:register", "GET", lambda w: "/devices/register/", _status(CAN_REGISTER, 200, 403)),
    Case(
        "devices:register",
        "POST",
        lambda w: "/devices/register/",
        # the outsider registers devices, but not into this programme (not a choice: 400)
        lambda p: 302 if p in CAN_REGISTER - {"outsider"} else 400 if p == "outsider" else 403,
        data=lambda w: {
            "programme": w.programme.pk,
            "device_type": "laptop",
            "manufacturer": "Dell",
            "serial_number": "MATRIXREG1",
            "location": w.warehouse.pk,
        },
    ),
    Case(
        "devices:detail", "GET", lambda w: f"/devices/{w.device.asset_tag}/", _status(READS_DEVICE, 200, 404)
    ),
    Case(
        "devices:detail",
        "GET",
        lambda w: f"/devices/{w.school_device.asset_tag}/",
        _status(READS_SCHOOL_DEVICE, 200, 404),
    ),
    Case(
        "devices:detail",
        "GET",
        lambda w: f"/devices/{w.other_device.asset_tag}/",
        _status(SEES_OTHER_DEVICE, 200, 404),
    ),
    Case(
        "devices:transition",
        "GET",
        lambda w: f"/devices/{w.device.asset_tag}/state/",
        _see_then(SEES_DEVICE, CAN_CHANGE, 200, 403),
    ),
    Case(
        "devices:transition",
        "POST",
        lambda w: f"/devices/{w.device.asset_tag}/state/",
        # a technician may change devices but not reserve them: the form offers no such choice (400)
        lambda p: (
            404 if p not in SEES_DEVICE else 302 if p in CAN_RESERVE else 400 if p in CAN_CHANGE else 403
        ),
        data=lambda w: {"to": "reserved", "expected_state": "ready", "reason": "matrix"},
    ),
    Case(
        "devices:transition",
        "POST",
        lambda w: f"/devices/{w.other_device.asset_tag}/state/",
        _see_then(SEES_OTHER_DEVICE, {"admin", "outsider"}, 302, 403),
        data=lambda w: {"to": "reserved", "expected_state": "ready"},
    ),
    Case(
        "devices:correct",
        "GET",
        lambda w: f"/devices/{w.device.asset_tag}/details/",
        _see_then(SEES_DEVICE, CAN_CORRECT, 200, 403),
    ),
    Case(
        "devices:correct",
        "POST",
        lambda w: f"/devices/{w.device.asset_tag}/details/",
        _see_then(SEES_DEVICE, CAN_CORRECT, 302, 403),
        data=lambda w: {
            "device_type": "laptop",
            "manufacturer": "Dell",
            "model": "Matrix corrected",
            "serial_number": w.device.serial_number,
            "reason": "matrix",
        },
    ),
    Case(
        "devices:correct",
        "POST",
        lambda w: f"/devices/{w.other_device.asset_tag}/details/",
        _see_then(SEES_OTHER_DEVICE, {"admin", "outsider"}, 302, 403),
        data=lambda w: {
            "device_type": "laptop",
            "manufacturer": "Dell",
            "model": "Matrix corrected",
            "serial_number": w.other_device.serial_number,
            "reason": "matrix",
        },
    ),
    Case("api-tokens", "GET", lambda w: "/account/api-tokens/", _status(ALL, 200, 200)),
    Case("api-token-revoke", "POST", lambda w: "/account/api-tokens/nosuch/revoke/", _status(ALL, 404, 404)),
    Case("account", "GET", lambda w: "/account/", _status(ALL, 200, 200)),
    # force_login stands for a whole sign-in (conftest): the code step sends everyone on.
    Case("sign-in-code", "GET", lambda w: "/sign-in/code/", _status(ALL, 302, 302)),
    Case("two-factor-set-up", "GET", lambda w: "/account/two-factor/", _status(ALL, 200, 200)),
    Case(
        "two-factor-recovery-codes",
        "POST",
        lambda w: "/account/two-factor/recovery-codes/",
        # those with an authenticator get new codes; the others are sent to set one up first
        _status(HAS_AUTHENTICATOR, 200, 302),
    ),
    Case(
        "api-tokens",
        "POST",
        lambda w: "/account/api-tokens/",
        _status(ALL, 200, 200),
        data=lambda w: {"name": "matrix"},
    ),
    # signed in already: the sign-in page sends everyone on, whatever they post
    Case(
        "sign-in",
        "POST",
        lambda w: "/sign-in/",
        _status(ALL, 302, 302),
        data=lambda w: {"username": "nobody@example.org", "password": "x"},
    ),
    Case("sign-in", "PUT", lambda w: "/sign-in/", _status(ALL, 302, 302)),
    # a wrong code is refused (400) for those with an authenticator; the others are sent to set one up
    Case(
        "sign-in-code",
        "POST",
        lambda w: "/sign-in/code/",
        _status(HAS_AUTHENTICATOR, 400, 302),
        data=lambda w: {"code": "000000"},
    ),
    Case(
        "two-factor-set-up",
        "POST",
        lambda w: "/account/two-factor/",
        _status(ALL, 400, 400),
        data=lambda w: {"code": "000000"},
    ),
    Case("accessibility", "GET", lambda w: "/accessibility/", _status(ALL, 200, 200)),
    Case("memberships", "GET", lambda w: "/people/", _status({"admin", "manager", "outsider"}, 200, 403)),
    Case(
        "memberships",
        "POST",
        lambda w: "/people/",
        # the outsider manages roles, but not at this programme's refurbisher (not a choice: 400)
        lambda p: 302 if p in {"admin", "manager"} else 400 if p == "outsider" else 403,
        data=lambda w: {
            "email": w.user("school").email,
            "organisation": w.refurbisher.pk,
            "role": "warehouse",
        },
    ),
    Case(
        "membership-revoke",
        "POST",
        lambda w: f"/people/{w.user('warehouse').memberships.get().pk}/revoke/",
        lambda p: 302 if p in {"admin", "manager"} else 404 if p == "outsider" else 403,
    ),
    Case("sign-in", "GET", lambda w: "/sign-in/", _status(ALL, 302, 302)),
    Case("sign-out", "POST", lambda w: "/sign-out/", _status(ALL, 302, 302)),
    Case("health", "GET", lambda w: "/healthz", _status(ALL, 200, 200)),
    Case("admin:index", "GET", lambda w: "/admin/", _status({"admin"}, 200, 302)),
    Case("api-schema", "GET", lambda w: "/api/schema/", _status(ALL, 200, 200)),
    Case("api-docs", "GET", lambda w: "/api/docs/", _status(ALL, 200, 200)),
    Case("api-me", "GET", lambda w: "/api/v1/me/", _status(ALL, 200, 200)),
    Case("api-programme-list", "GET", lambda w: "/api/v1/programmes/", _status(ALL, 200, 200)),
    Case(
        "api-programme-stock",
        "GET",
        lambda w: "/api/v1/programmes/scheme/stock/",
        _status(SEES_PROGRAMME, 200, 404),
    ),
    Case(
        "api-programme-stock",
        "GET",
        lambda w: "/api/v1/programmes/other/stock/",
        _status({"admin", "outsider"}, 200, 404),
    ),
    Case("api-organisation-list", "GET", lambda w: "/api/v1/organisations/", _status(ALL, 200, 200)),
    Case("api-location-list", "GET", lambda w: "/api/v1/locations/", _status(ALL, 200, 200)),
    Case("api-device-list", "GET", lambda w: "/api/v1/devices/", _status(ALL, 200, 200)),
    Case(
        "api-device-list",
        "POST",
        lambda w: "/api/v1/devices/",
        # others cannot see the programme (400 says so); technicians and funders see it but may not pledge
        lambda p: (
            201 if p in {"admin", "manager", "warehouse"} else 403 if p in {"technician", "funder"} else 400
        ),
        data=lambda w: {
            "programme": "scheme",
            "manufacturer": "HP",
            "serial_number": "MATRIX1",
            "state": "pledged",
        },
        json=True,
    ),
    Case(
        "api-device-detail",
        "GET",
        lambda w: f"/api/v1/devices/{w.device.asset_tag}/",
        _status(SEES_DEVICE, 200, 404),
    ),
    Case(
        "api-device-detail",
        "GET",
        lambda w: f"/api/v1/devices/{w.school_device.asset_tag}/",
        _status(SEES_SCHOOL_DEVICE, 200, 404),
    ),
    Case(
        "api-device-detail",
        "GET",
        lambda w: f"/api/v1/devices/{w.other_device.asset_tag}/",
        _status(SEES_OTHER_DEVICE, 200, 404),
    ),
    Case(
        "api-device-detail",
        "PATCH",
        lambda w: f"/api/v1/devices/{w.device.asset_tag}/",
        _see_then(SEES_DEVICE, CAN_CORRECT, 200, 403),
        data=lambda w: {"model": "Matrix corrected", "reason": "matrix"},
        json=True,
    ),
    Case(
        "api-device-detail",
        "PATCH",
        lambda w: f"/api/v1/devices/{w.other_device.asset_tag}/",
        _status(SEES_OTHER_DEVICE, 200, 404),
        data=lambda w: {"model": "Matrix corrected", "reason": "matrix"},
        json=True,
    ),
    Case(
        "api-device-events",
        "GET",
        lambda w: f"/api/v1/devices/{w.device.asset_tag}/events/",
        _status(READS_DEVICE, 200, 404),
    ),
    Case(
        "api-device-events",
        "GET",
        lambda w: f"/api/v1/devices/{w.other_device.asset_tag}/events/",
        _status(SEES_OTHER_DEVICE, 200, 404),
    ),
    Case(
        "api-device-transition",
        "POST",
        lambda w: f"/api/v1/devices/{w.device.asset_tag}/transitions/",
        lambda p: 404 if p not in SEES_DEVICE else 200 if p in CAN_RESERVE else 403,
        data=lambda w: {"to": "reserved"},
        json=True,
    ),
    Case(
        "api-device-transition",
        "POST",
        lambda w: f"/api/v1/devices/{w.other_device.asset_tag}/transitions/",
        _status(SEES_OTHER_DEVICE, 200, 404),
        data=lambda w: {"to": "reserved"},
        json=True,
    ),
]


def _t480(world: World) -> dict[str, Any]:
    from pathlib import Path

    from django.core.files.uploadedfile import SimpleUploadedFile

    fixture = (
        Path(__file__).resolve().parents[2]
        / "hardware"
        / "tests"
        / "fixtures"
        / "thinkpad-t480-nvme-usb-stick.lshw.json"
    )
    return {
        "file": SimpleUploadedFile("t480.json", fixture.read_bytes()),
        "programme": "scheme",
        "location": world.warehouse.pk,
    }


CASES.append(
    Case(
        "api-hardware-report-upload",
        "POST",
        lambda w: "/api/v1/hardware-reports/",
        # the funder sees the programme but may not file reports (403); those who cannot see the programme get
        # a 400 that says so
        lambda p: 200 if p in OPERATORS else 403 if p == "funder" else 400,
        data=_t480,
    ),
)

SEES_DONATION = OPERATORS | {"donor"}
MANAGES_DONATION = {"admin", "manager", "warehouse"}
CAN_CREATE_DONATION = MANAGES_DONATION | {"outsider"}  # the outsider manages its own programme


def _manage(ok: int) -> Callable[[str], int]:
    return _see_then(SEES_DONATION, MANAGES_DONATION, ok, 403)


def _don(suffix: str) -> Callable[[World], str]:
    return lambda w: f"/donations/{w.donation.pk}/{suffix}"


def _imp(suffix: str) -> Callable[[World], str]:
    return lambda w: f"/donations/{w.donation.pk}/register/{w.pending_import.pk}/{suffix}"


def _register_file(world: World) -> dict[str, Any]:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return {"file": SimpleUploadedFile("more.csv", b"Serial,Make\nMATRIX9001,Dell\n")}


CASES += [
    Case(
        "devices:label",
        "GET",
        lambda w: f"/devices/{w.device.asset_tag}/label/?format=zpl",
        _status(SEES_DEVICE, 200, 404),
    ),
    Case("donations:list", "GET", lambda w: "/donations/", _status(ALL, 200, 200)),
    Case("donations:create", "GET", lambda w: "/donations/new/", _status(CAN_CREATE_DONATION, 200, 403)),
    Case(
        "donations:create",
        "POST",
        lambda w: "/donations/new/",
        # the outsider may record donations, but not into this programme (not a choice: 400)
        lambda p: 302 if p in MANAGES_DONATION else 400 if p == "outsider" else 403,
        data=lambda w: {"programme": w.programme.pk, "donor": w.donor.pk, "description": "matrix"},
    ),
    Case("donations:detail", "GET", _don(""), _status(SEES_DONATION, 200, 404)),
    Case("donations:collection", "GET", _don("collection/"), _manage(200)),
    Case(
        "donations:collection",
        "POST",
        _don("collection/"),
        _manage(302),
        data=lambda w: {
            "collection_date": "01/12/2026",
            "collection_address": "1 High St",
            "collector": "Van",
        },
    ),
    Case("donations:collected", "GET", _don("collected/"), _manage(200)),
    Case("donations:collected", "POST", _don("collected/"), _manage(400), data=lambda w: {}),
    Case("donations:arrived", "GET", _don("arrived/"), _manage(200)),
    Case(
        "donations:arrived",
        "POST",
        _don("arrived/"),
        _manage(302),
        data=lambda w: {"location": w.warehouse.pk},
    ),
    Case("donations:cancel", "GET", _don("cancel/"), _manage(200)),
    Case("donations:cancel", "POST", _don("cancel/"), _manage(302), data=lambda w: {"reason": "matrix"}),
    Case("donations:receive", "GET", _don("receive/"), _manage(200)),
    Case(
        "donations:receive",
        "POST",
        _don("receive/"),
        _manage(302),
        data=lambda w: {"location": w.warehouse.pk, "code": "REG00001"},
    ),
    Case("donations:register-upload", "GET", _don("register/"), _manage(200)),
    Case("donations:register-upload", "POST", _don("register/"), _manage(302), data=_register_file),
    Case("donations:import", "GET", _imp(""), _status(SEES_DONATION, 200, 404)),
    Case("donations:import", "POST", _imp(""), _manage(302), data=lambda w: {"mode": "valid_rows"}),
    Case("donations:import-status", "GET", _imp("status/"), _status(SEES_DONATION, 200, 404)),
    Case("donations:import-report", "GET", _imp("rejected.csv"), _status(SEES_DONATION, 200, 404)),
    Case("donations:labels", "GET", _don("labels/?format=zpl"), _status(SEES_DONATION, 200, 404)),
]


def _api_manage(ok: int) -> Callable[[str], int]:
    return _see_then(SEES_DONATION, MANAGES_DONATION, ok, 403)


def _api_don(suffix: str) -> Callable[[World], str]:
    return lambda w: f"/api/v1/donations/{w.donation.pk}/{suffix}"


def _api_imp(suffix: str) -> Callable[[World], str]:
    return lambda w: f"/api/v1/register-imports/{w.pending_import.pk}/{suffix}"


CASES += [
    Case("api-donation-list", "GET", lambda w: "/api/v1/donations/", _status(ALL, 200, 200)),
    Case(
        "api-donation-list",
        "POST",
        lambda w: "/api/v1/donations/",
        # technicians and funders see the programme but may not record donations; others cannot see it
        lambda p: 201 if p in MANAGES_DONATION else 403 if p in {"technician", "funder"} else 400,
        data=lambda w: {"programme": "scheme", "donor": w.donor.pk},
        json=True,
    ),
    Case("api-donation-detail", "GET", _api_don(""), _status(SEES_DONATION, 200, 404)),
    Case(
        "api-donation-transition",
        "POST",
        _api_don("transitions/"),
        _api_manage(200),
        data=lambda w: {"to": "cancelled", "reason": "matrix"},
        json=True,
    ),
    Case("api-donation-devices", "GET", _api_don("devices/?show=missing"), _status(SEES_DONATION, 200, 404)),
    Case(
        "api-donation-receive",
        "POST",
        _api_don("receive/"),
        _api_manage(200),
        data=lambda w: {"code": "REG00001", "location": w.warehouse.pk},
        json=True,
    ),
    Case(
        "api-register-import-upload",
        "POST",
        _api_don("register-imports/"),
        _api_manage(201),
        data=_register_file,
    ),
    Case("api-register-import", "GET", _api_imp(""), _status(SEES_DONATION, 200, 404)),
    Case(
        "api-register-import-mapping",
        "POST",
        _api_imp("mapping/"),
        _api_manage(200),
        data=lambda w: {"columns": {"Serial": "serial_number", "Make": "manufacturer"}},
        json=True,
    ),
    Case(
        "api-register-import-confirm",
        "POST",
        _api_imp("confirm/"),
        _api_manage(202),
        data=lambda w: {"mode": "valid_rows"},
        json=True,
    ),
    Case(
        "api-register-import-rejected-rows",
        "GET",
        _api_imp("rejected-rows/"),
        _status(SEES_DONATION, 200, 404),
    ),
]


CASES += [
    Case(
        "api-device-label",
        "GET",
        lambda w: f"/api/v1/devices/{w.device.asset_tag}/label/?format=zpl",
        _status(SEES_DEVICE, 200, 404),
    ),
    Case("api-donation-labels", "GET", _api_don("labels/?format=zpl"), _status(SEES_DONATION, 200, 404)),
]


@pytest.fixture
def world(world: World, django_capture_on_commit_callbacks: Any) -> World:
    """The shared world plus a donation with an imported register and a second import awaiting confirmation."""
    from devicebank.donations.services import donation_create, register_import_queue, register_import_start

    warehouse = world.user("warehouse")
    world.donation = donation_create(programme=world.programme, donor=world.donor, by=warehouse)
    imported, _ = register_import_start(
        donation=world.donation,
        file_name="r1.csv",
        data=b"Serial,Make\nREG00001,Dell\nREG00002,HP\n",
        by=warehouse,
    )
    with django_capture_on_commit_callbacks(execute=True):
        register_import_queue(imp=imported, mode="all_or_nothing", by=warehouse)
    for prepare in app_preparers():
        prepare(world)
    world.pending_import, _ = register_import_start(
        donation=world.donation,
        file_name="r2.csv",
        data=b"Serial,Make\nREG00003,Dell\n0,Dell\n",
        by=warehouse,
    )
    return world


ALL_CASES = CASES + app_cases()

# Routes that need no sign-in. Everything else must turn an anonymous visitor away.
PUBLIC = {"sign-in", "health", "accessibility", "api-schema", "api-docs", "verify", "verify-find"}


def _request(client: Client, case: Case, world: World) -> int:
    url = case.url(world)
    data = case.data(world) if case.data else {}
    # Writes are rolled back so every row starts from the same world.
    with transaction.atomic():
        if case.method == "GET":
            response = client.get(url)
        elif case.method != "POST":
            body = json.dumps(data) if data else ""
            response = client.generic(case.method, url, body, content_type="application/json")
        elif case.json:
            response = client.post(url, data, content_type="application/json")
        else:
            response = client.post(url, data)
        transaction.set_rollback(True)
    return response.status_code


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_role_gets_exactly_its_access_on_every_endpoint(world: World, persona: str) -> None:
    client = Client()
    client.force_login(world.user(persona))
    failures = []
    for case in ALL_CASES:
        got = _request(client, case, world)
        expected = case.expect(persona)
        if got != expected:
            failures.append(f"{case.method} {case.url(world)} ({case.name}): expected {expected}, got {got}")
        if case.name == "sign-out":  # signing out ends the session; sign back in for the next rows
            client.force_login(world.user(persona))
    assert not failures, f"{persona}:\n" + "\n".join(failures)


def test_anonymous_visitors_are_sent_to_sign_in_or_refused(world: World) -> None:
    client = Client()
    failures = []
    for case in ALL_CASES:
        got = _request(client, case, world)
        if case.name in PUBLIC:
            continue
        ok = got in (401, 403) if case.url(world).startswith("/api/") else got in (302, 403, 404)
        if not ok:
            failures.append(f"{case.method} {case.url(world)}: {got}")
    assert not failures, "\n".join(failures)


def _routes(resolver: URLResolver, prefix: str = "") -> dict[str, set[str]]:
    """Every named route and the HTTP methods its view answers (HEAD and OPTIONS follow GET and are left out)."""
    routes: dict[str, set[str]] = {}
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            namespace = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
            if pattern.namespace == "admin":
                routes["admin:index"] = {"GET"}  # Django's own admin: covered by its index row
                continue
            for name, methods in _routes(pattern, namespace).items():
                routes.setdefault(name, set()).update(methods)
        elif isinstance(pattern, URLPattern) and pattern.name:
            view_class = getattr(pattern.callback, "view_class", None)
            methods = (
                {
                    m.upper()
                    for m in view_class.http_method_names
                    if m not in ("head", "options") and hasattr(view_class, m)
                }
                if view_class is not None
                else {"GET"}  # function views here answer GET only (the health check)
            )
            routes.setdefault(prefix + pattern.name, set()).update(methods)
    return routes


def test_every_route_and_method_has_a_row_in_the_matrix() -> None:
    routes = _routes(get_resolver())
    covered = {(case.name, case.method) for case in ALL_CASES}
    missing = sorted(
        (name, method)
        for name, methods in routes.items()
        for method in methods
        if (name, method) not in covered
    )
    assert not missing, f"Add these routes and methods to the permission matrix: {missing}"
    unknown = sorted(covered - {(name, method) for name, methods in routes.items() for method in methods})
    assert not unknown, f"These matrix rows name no route or a method it does not answer: {unknown}"


# -- List contents: each role sees exactly its own records, not just the right status code ----------------------
#
# The rules below restate docs/architecture.md ("Access scoping") for this world's personas, in plain attribute
# comparisons, independently of people.access: a list that shows one record too many or too few fails.

STAFF = {"manager", "technician", "warehouse"}
TAG = re.compile(r"\b(?:SCH|OTH)-\d{6}\b")
DONATION = re.compile(r"\bDON-\d{5}\b")


def _sees_device(persona: str, device: Any, w: World) -> bool:
    if persona == "admin":
        return True
    if persona in STAFF:
        return bool(device.programme_id == w.programme.pk)
    if persona == "outsider":
        return bool(device.programme_id == w.other_programme.pk)
    if persona == "donor":
        return bool(device.donor_id == w.donor.pk)
    if persona == "school":
        return bool(device.custodian_id == w.school.pk)
    if persona == "trust":  # a responsible body also sees what its schools hold
        return device.custodian_id in (w.school.pk, w.trust.pk)
    return False  # referrers and funders see no devices


def _sees_donation(persona: str, donation: Any, w: World) -> bool:
    if persona == "admin":
        return True
    if persona in STAFF:
        return bool(donation.programme_id == w.programme.pk)
    if persona == "outsider":
        return bool(donation.programme_id == w.other_programme.pk)
    return persona == "donor" and donation.donor_id == w.donor.pk


def _programmes(persona: str, w: World) -> set[str]:
    from devicebank.programmes.models import Programme

    if persona == "admin":
        return set(Programme.objects.values_list("slug", flat=True))
    if persona in STAFF | {"funder"}:
        return {w.programme.slug}
    return {w.other_programme.slug} if persona == "outsider" else set()


def _organisations(persona: str, w: World) -> set[int]:
    from devicebank.people.models import Organisation

    if persona == "admin":
        return set(Organisation.objects.values_list("pk", flat=True))
    own = set(w.user(persona).memberships.values_list("organisation_id", flat=True))
    if persona in STAFF:  # their own, and the programme's owner and partners
        return own | {w.council.pk, w.refurbisher.pk, w.trust.pk}
    return own


def _tags(persona: str, w: World) -> set[str]:
    from devicebank.devices.models import Device

    return {d.asset_tag for d in Device.objects.all() if _sees_device(persona, d, w)}


def _search_hits(persona: str, w: World) -> set[str]:
    """What a search for another scheme's serial finds: only devices the role may see, by tag or serial prefix."""
    from devicebank.devices.identity import serial_key
    from devicebank.devices.models import Device

    term = w.other_device.serial_number
    key = serial_key(term) or ""
    return {
        d.asset_tag
        for d in Device.objects.all()
        if _sees_device(persona, d, w)
        and (d.asset_tag.startswith(term.upper()) or (key and (d.serial_key or "").startswith(key)))
    }


def _donations(persona: str, w: World) -> set[int]:
    from devicebank.donations.models import Donation

    return {d.pk for d in Donation.objects.all() if _sees_donation(persona, d, w)}


def _donation_refs(persona: str, w: World) -> set[str]:
    from devicebank.donations.models import Donation

    return {d.reference for d in Donation.objects.all() if _sees_donation(persona, d, w)}


def _locations(persona: str, w: World) -> set[int]:
    from devicebank.people.models import Location

    orgs = _organisations(persona, w)
    return set(Location.objects.filter(organisation_id__in=orgs).values_list("pk", flat=True))


def _results(key: str) -> Callable[[Any], set[Any]]:
    return lambda response: {row[key] for row in response.json()["results"]}


def _found(pattern: re.Pattern[str]) -> Callable[[Any], set[Any]]:
    return lambda response: set(pattern.findall(response.content.decode()))


@dataclass(frozen=True)
class ListCase:
    url: Callable[[World], str]
    shown: Callable[[Any], set[Any]]  # the records a response lists
    expected: Callable[[str, World], set[Any]]  # every record the role may see
    whole: bool = True  # False for a part (a queue, a home page): it must hold nothing the role may not see


LIST_CASES = [
    ListCase(lambda w: "/api/v1/devices/?page_size=500", _results("asset_tag"), _tags),
    ListCase(lambda w: "/devices/", _found(TAG), _tags),
    ListCase(
        lambda w: f"/api/v1/devices/?page_size=500&q={w.other_device.serial_number}",
        _results("asset_tag"),
        _search_hits,
    ),
    ListCase(lambda w: f"/devices/?q={w.other_device.serial_number}", _found(TAG), _search_hits),
    ListCase(lambda w: "/api/v1/donations/?page_size=500", _results("id"), _donations),
    ListCase(lambda w: "/donations/", _found(DONATION), _donation_refs),
    ListCase(lambda w: "/api/v1/programmes/?page_size=500", _results("slug"), _programmes),
    ListCase(lambda w: "/api/v1/organisations/?page_size=500", _results("id"), _organisations),
    ListCase(lambda w: "/api/v1/locations/?page_size=500", _results("id"), _locations),
    ListCase(lambda w: "/", _found(TAG), _tags, whole=False),
    ListCase(lambda w: "/refurbishment/", _found(TAG), _tags, whole=False),
    ListCase(lambda w: "/sanitisation/", _found(TAG), _tags, whole=False),
    ListCase(lambda w: f"/donations/{w.donation.pk}/", _found(TAG), _tags, whole=False),
]


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_list_shows_each_role_exactly_its_records(world: World, persona: str) -> None:
    client = Client()
    client.force_login(world.user(persona))
    failures = []
    for case in LIST_CASES:
        url = case.url(world)
        response = client.get(url)
        if response.status_code in (403, 404):  # refused outright: the status rows above cover it
            continue
        assert response.status_code == 200, f"{url}: {response.status_code}"
        shown, allowed = case.shown(response), case.expected(persona, world)
        if case.whole and shown != allowed:
            failures.append(
                f"{url}: missing {sorted(allowed - shown, key=str)}, extra {sorted(shown - allowed, key=str)}"
            )
        elif not shown <= allowed:
            failures.append(f"{url}: shows {sorted(shown - allowed, key=str)}, which it may not")
    assert not failures, f"{persona}:\n" + "\n".join(failures)


def test_the_lists_are_not_empty_for_everyone(world: World) -> None:
    """The list checks above compare something: the world holds records each kind of reader sees."""
    for persona in ("manager", "outsider", "donor", "school", "trust"):
        assert _tags(persona, world), persona
    assert _tags("manager", world).isdisjoint(_tags("outsider", world))
    assert _donations("donor", world)
    assert _search_hits("outsider", world)
    assert not _search_hits("manager", world)
