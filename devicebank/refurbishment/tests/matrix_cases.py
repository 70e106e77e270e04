"""The workbench's pages and API in the permission matrix (devicebank/core/tests/test_permission_matrix.py).

`prepare` adds a sanitised laptop at the bench (`world.bench`), one with all its bench work done and in
refurbishment (`world.finished`), a kept password on the bench laptop and a part on the shelf.
"""

from __future__ import annotations

from collections.abc import Callable

from devicebank.conftest import World
from devicebank.core.tests.matrix import ALL, OPERATORS, Case, _see_then, _status

WORKERS = {"admin", "manager", "technician"}  # may take a device through refurbishment
REVEALERS = {"manager", "technician"}  # may see licence keys and passwords (platform admins may not)
MANAGERS = {"admin", "manager"}
OPERATIONAL = OPERATORS | {"outsider"}  # work in some programme (the outsider in its own)
THROUGHPUT = MANAGERS | {"outsider"}  # the outsider manages its own programme


def prepare(world: World) -> None:
    from devicebank.refurbishment.models import PartKind
    from devicebank.refurbishment.services import device_secret_record, part_create
    from devicebank.refurbishment.tests.conftest import bench_laptop, finish_bench_work

    world.bench = bench_laptop(world)  # type: ignore[attr-defined]
    world.finished = finish_bench_work(bench_laptop(world))  # type: ignore[attr-defined]
    world.bench_secret = device_secret_record(  # type: ignore[attr-defined]
        device=world.bench,
        by=None,
        kind="bios_password",
        value="matrix-bios",  # type: ignore[attr-defined]
    )
    world.part = part_create(  # type: ignore[attr-defined]
        programme=world.programme, by=None, kind=PartKind.CHARGER, description="Matrix charger", quantity=5
    )


def _page(suffix: str, attr: str = "bench") -> Callable[[World], str]:
    return lambda w: f"/refurbishment/devices/{getattr(w, attr).asset_tag}/{suffix}"


def _api(suffix: str, attr: str = "bench") -> Callable[[World], str]:
    return lambda w: f"/api/v1/refurbishment/devices/{getattr(w, attr).asset_tag}/{suffix}"


def _work(ok: int) -> Callable[[str], int]:
    """Seen by operators (warehouse read-only: 403), not found for everyone else."""
    return _see_then(OPERATORS, WORKERS, ok, 403)


def _reveal(ok: int) -> Callable[[str], int]:
    return _see_then(OPERATORS, REVEALERS, ok, 403)


def _spec_post(ok: int, hidden: int) -> Callable[[str], int]:
    return lambda p: ok if p in MANAGERS else 403 if p in {"technician", "warehouse", "funder"} else hidden


SPEC_FORM = {"labour_rate": "25", "require_os_install": "on", "items": ["power_on"]}
SPEC_JSON = {"programme": "scheme", "device_type": "laptop", "min_ram_bytes": 4_000_000_000}
RECYCLE = {
    "recycler": "Matrix WEEE",
    "consignment_note": "WTN-1",
    "weight_kg": "2.00",
    "handed_over_on": "2025-01-06",
}
DECISION = {
    "estimated_parts_cost": "1.00",
    "estimated_minutes": "5",
    "decision": "repair",
    "reason": "matrix",
}

CASES = [
    # -- pages
    Case("refurbishment:workbench", "GET", lambda w: "/refurbishment/", _status(OPERATIONAL, 200, 403)),
    Case("refurbishment:device", "GET", _page(""), _status(OPERATORS, 200, 404)),
    Case(
        "refurbishment:device",
        "GET",
        lambda w: f"/refurbishment/devices/{w.device.asset_tag}/",
        _see_then(
            OPERATORS | {"donor"}, OPERATORS, 200, 403
        ),  # the donor sees its device, not its bench record
    ),
    Case("refurbishment:tests", "GET", _page("tests/"), _work(200)),
    Case("refurbishment:tests", "POST", _page("tests/"), _work(302), data=lambda w: {"all_pass": "1"}),
    Case("refurbishment:grade", "GET", _page("grade/"), _work(200)),
    Case(
        "refurbishment:grade",
        "POST",
        _page("grade/", "finished"),
        _work(302),
        data=lambda w: {"cosmetic": "A"},
    ),
    Case("refurbishment:os", "GET", _page("os/"), _work(200)),
    Case(
        "refurbishment:os",
        "POST",
        _page("os/"),
        _work(302),
        data=lambda w: {"os": "linux", "licence_channel": "none", "image_name": "Ubuntu"},
    ),
    Case("refurbishment:password", "GET", _page("passwords/"), _work(200)),
    Case(
        "refurbishment:password",
        "POST",
        _page("passwords/"),
        _work(302),
        data=lambda w: {"kind": "admin_password", "value": "matrix-admin"},
    ),
    Case(
        "refurbishment:reveal",
        "POST",
        lambda w: f"/refurbishment/devices/{w.bench.asset_tag}/secrets/{w.bench_secret.pk}/reveal/",
        _reveal(200),
        data=lambda w: {},
    ),
    Case("refurbishment:repair", "GET", _page("repairs/"), _work(200)),
    Case(
        "refurbishment:repair",
        "POST",
        _page("repairs/"),
        _work(302),
        data=lambda w: {
            "fault": "Loose hinge",
            "action": "Tightened",
            "minutes": "5",
            "cost": "0",
            "quantity": "1",
        },
    ),
    Case("refurbishment:harvest", "GET", _page("harvest/"), _work(200)),
    Case(
        "refurbishment:harvest",
        "POST",
        _page("harvest/"),
        _work(302),
        data=lambda w: {"part": w.part.pk, "quantity": "1"},
    ),
    Case("refurbishment:decision", "GET", _page("decision/"), _work(200)),
    Case("refurbishment:decision", "POST", _page("decision/"), _work(302), data=lambda w: DECISION),
    Case("refurbishment:recycle", "GET", _page("recycle/"), _work(200)),
    Case("refurbishment:recycle", "POST", _page("recycle/"), _work(302), data=lambda w: RECYCLE),
    # a GET only sends the person to the device's page, which checks the scope: the same redirect for any tag
    Case("refurbishment:ready", "GET", _page("ready/", "finished"), _status(ALL, 302, 302)),
    Case(
        "refurbishment:ready",
        "POST",
        _page("ready/", "finished"),
        _work(302),
        data=lambda w: {"expected_state": "in_refurbishment"},
    ),
    Case(
        "refurbishment:bulk",
        "GET",
        lambda w: "/refurbishment/bulk/",
        _status(WORKERS | {"outsider"}, 200, 403),
    ),
    Case(
        "refurbishment:bulk",
        "POST",
        lambda w: "/refurbishment/bulk/",
        # the outsider may do bench work, but not on this programme's devices: "not found" (400)
        lambda p: 200 if p in WORKERS else 400 if p == "outsider" else 403,
        data=lambda w: {"codes": w.bench.asset_tag, "action": "tests_passed"},
    ),
    Case(
        "refurbishment:specifications",
        "GET",
        lambda w: "/refurbishment/specifications/",
        _status(OPERATIONAL, 200, 403),
    ),
    Case(
        "refurbishment:specification",
        "GET",
        lambda w: "/refurbishment/specifications/scheme/laptop/",
        _spec_post(200, 404),
    ),
    Case(
        "refurbishment:specification",
        "POST",
        lambda w: "/refurbishment/specifications/scheme/laptop/",
        _spec_post(302, 404),
        data=lambda w: SPEC_FORM,
    ),
    Case("refurbishment:parts", "GET", lambda w: "/refurbishment/parts/", _status(OPERATIONAL, 200, 403)),
    Case(
        "refurbishment:parts",
        "POST",
        lambda w: "/refurbishment/parts/",
        # the outsider's form does not offer this programme (400)
        lambda p: 302 if p in WORKERS else 400 if p == "outsider" else 403,
        data=lambda w: {
            "programme": w.programme.pk,
            "kind": "screen",
            "description": "14in panel",
            "quantity": "2",
        },
    ),
    Case(
        "refurbishment:part-adjust", "GET", lambda w: f"/refurbishment/parts/{w.part.pk}/adjust/", _work(200)
    ),
    Case(
        "refurbishment:part-adjust",
        "POST",
        lambda w: f"/refurbishment/parts/{w.part.pk}/adjust/",
        _work(302),
        data=lambda w: {"delta": "2", "reason": "Delivery"},
    ),
    Case(
        "refurbishment:throughput",
        "GET",
        lambda w: "/refurbishment/throughput/",
        _status(THROUGHPUT, 200, 403),
    ),
    # -- API
    Case("api-refurbishment-device", "GET", _api(""), _status(OPERATORS, 200, 404)),
    Case(
        "api-refurbishment-device",
        "GET",
        lambda w: f"/api/v1/refurbishment/devices/{w.device.asset_tag}/",
        _see_then(OPERATORS | {"donor"}, OPERATORS, 200, 403),
    ),
    Case(
        "api-refurbishment-tests",
        "POST",
        _api("tests/"),
        _work(201),
        data=lambda w: {"results": [{"key": "power_on", "outcome": "pass"}]},
        json=True,
    ),
    Case(
        "api-refurbishment-grade",
        "POST",
        _api("grade/", "finished"),
        _work(201),
        data=lambda w: {"cosmetic": "B"},
        json=True,
    ),
    Case(
        "api-refurbishment-os-install",
        "POST",
        _api("os-installs/"),
        _work(201),
        data=lambda w: {"os": "linux", "licence_channel": "none"},
        json=True,
    ),
    Case("api-refurbishment-secrets", "GET", _api("secrets/"), _status(OPERATORS, 200, 404)),
    Case(
        "api-refurbishment-secrets",
        "POST",
        _api("secrets/"),
        _work(201),
        data=lambda w: {"kind": "bios_password", "value": "matrix-pw"},
        json=True,
    ),
    Case(
        "api-refurbishment-secret-reveal",
        "POST",
        lambda w: f"/api/v1/refurbishment/devices/{w.bench.asset_tag}/secrets/{w.bench_secret.pk}/reveal/",
        _reveal(200),
        data=lambda w: {},
        json=True,
    ),
    Case(
        "api-refurbishment-repair",
        "POST",
        _api("repairs/"),
        _work(201),
        data=lambda w: {
            "fault": "Hinge",
            "action": "Tightened",
            "parts": [{"part": w.part.pk, "quantity": 1}],
        },
        json=True,
    ),
    Case(
        "api-refurbishment-harvest",
        "POST",
        _api("harvest/"),
        _work(200),
        data=lambda w: {"parts": [{"part": w.part.pk, "quantity": 1}]},
        json=True,
    ),
    Case(
        "api-refurbishment-decision",
        "POST",
        _api("decision/"),
        _work(201),
        data=lambda w: DECISION,
        json=True,
    ),
    Case(
        "api-refurbishment-recycle", "POST", _api("recycle/"), _work(201), data=lambda w: RECYCLE, json=True
    ),
    Case(
        "api-refurbishment-ready",
        "POST",
        _api("ready/", "finished"),
        _work(200),
        data=lambda w: {"expected_state": "in_refurbishment"},
        json=True,
    ),
    Case(
        "api-refurbishment-bulk",
        "POST",
        lambda w: "/api/v1/refurbishment/bulk/",
        lambda p: 200 if p in WORKERS else 400 if p == "outsider" else 403,
        data=lambda w: {"asset_tags": [w.bench.asset_tag], "action": "tests_passed"},
        json=True,
    ),
    Case(
        "api-refurbishment-specifications",
        "GET",
        lambda w: "/api/v1/refurbishment/specifications/",
        _status(OPERATIONAL, 200, 403),
    ),
    Case(
        "api-refurbishment-specifications",
        "POST",
        lambda w: "/api/v1/refurbishment/specifications/",
        _spec_post(200, 400),  # a programme outside your scope is a 400 that says so
        data=lambda w: SPEC_JSON,
        json=True,
    ),
    Case(
        "api-refurbishment-parts",
        "GET",
        lambda w: "/api/v1/refurbishment/parts/",
        _status(OPERATIONAL, 200, 403),
    ),
    Case(
        "api-refurbishment-parts",
        "POST",
        lambda w: "/api/v1/refurbishment/parts/",
        lambda p: 201 if p in WORKERS else 403 if p in {"warehouse", "funder"} else 400,
        data=lambda w: {
            "programme": "scheme",
            "kind": "battery",
            "description": "Matrix battery",
            "quantity": 1,
        },
        json=True,
    ),
    Case(
        "api-refurbishment-part-adjust",
        "POST",
        lambda w: f"/api/v1/refurbishment/parts/{w.part.pk}/adjust/",
        _work(200),
        data=lambda w: {"delta": 1, "reason": "Delivery"},
        json=True,
    ),
    Case(
        "api-refurbishment-throughput",
        "GET",
        lambda w: "/api/v1/refurbishment/throughput/",
        _status(THROUGHPUT, 200, 403),
    ),
]
