"""Every download and export writes DATA_EXPORTED (who, what, how many rows).

Walks every GET route of the permission matrix as a platform admin and, for each answer that is a download
(a file to save or a PDF, ZIP, CSV, label or raw report), checks one DATA_EXPORTED event was written by that
person, so a new download route cannot ship without it.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction
from django.test import Client

from devicebank.conftest import World
from devicebank.core.models import Event, EventKind
from devicebank.core.privacy import personal_data_in
from devicebank.core.tests.test_permission_matrix import ALL_CASES
from devicebank.core.tests.test_permission_matrix import world as world  # the matrix's world

pytestmark = pytest.mark.django_db

# Downloads that hold no data: the OpenAPI schema describes the API, anyone may fetch it.
NOT_DATA = {"api-schema"}
DOWNLOAD_TYPES = ("application/pdf", "application/zip", "application/octet-stream", "text/csv")


def _is_download(response: Any) -> bool:
    kind = response.get("Content-Type", "")
    return response.has_header("Content-Disposition") or kind.startswith(DOWNLOAD_TYPES)


def test_every_download_records_who_took_what_and_how_many_rows(world: World) -> None:
    admin = world.user("admin")
    client = Client()
    client.force_login(admin)
    downloads = []
    for case in ALL_CASES:
        if case.method != "GET" or case.name in NOT_DATA:
            continue
        url = case.url(world)
        with transaction.atomic():
            before = Event.objects.filter(kind=EventKind.DATA_EXPORTED).count()
            response = client.get(url)
            written = list(Event.objects.filter(kind=EventKind.DATA_EXPORTED).order_by("id")[before:])
            transaction.set_rollback(True)
        if response.status_code != 200 or not _is_download(response):
            continue
        downloads.append(case.name)
        assert len(written) == 1, f"{url} ({case.name}) wrote {len(written)} DATA_EXPORTED events"
        event = written[0]
        assert event.actor_id == admin.pk
        assert isinstance(event.data["export"], str)
        assert event.data["export"]
        assert isinstance(event.data["rows"], int)
        assert personal_data_in(event.data) == []
    # every kind of download the project has today, so the walk above is not vacuous
    assert {
        "devices:label",
        "donations:import-report",
        "donations:labels",
        "hardware:raw",
        "sanitisation:certificate-pdf",
        "sanitisation:evidence-raw",
        "sanitisation:batch-download",
        "recipients:import-rejected",
        "api-certificate-pdf",
        "api-register-import-rejected-rows",
        "api-device-label",
        "api-donation-labels",
    } <= set(downloads), sorted(set(downloads))


def test_a_page_that_is_not_a_download_records_no_export(world: World) -> None:
    client = Client()
    client.force_login(world.user("admin"))
    client.get(f"/devices/{world.device.asset_tag}/")
    client.get("/api/v1/devices/")
    assert not Event.objects.filter(kind=EventKind.DATA_EXPORTED).exists()
