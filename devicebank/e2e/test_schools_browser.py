"""Schools in the browser: a programme manager imports a GIAS extract (upload, check, import, result) and finds a
school; axe-core on every page."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from devicebank.portal.demo import DEMO_PASSWORD, demo_email, seed_demo
from devicebank.recipients.models import School
from devicebank.recipients.tests.conftest import fixture_rows, gias_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(transactional_db: None) -> None:
    seed_demo(devices=10)


def test_a_gias_extract_goes_from_upload_through_check_to_schools(
    demo: None,
    page: Any,
    live_server: Any,
    sign_in: Callable[..., None],
    axe: Callable[[Any], None],
    tmp_path: Path,
) -> None:
    rows = fixture_rows()
    rows[3]["OpenDate"] = "32-01-1990"  # one row the check refuses
    extract = tmp_path / "edubasealldata.csv"
    extract.write_bytes(gias_bytes(rows, encoding="windows-1252"))
    sign_in(page, demo_email("manager"), DEMO_PASSWORD)

    page.get_by_role("link", name="Schools").first.click()
    axe(page)
    page.get_by_role("link", name="Import schools from GIAS").click()
    axe(page)
    page.get_by_role("button", name="Upload and check").click()  # no file chosen: the error summary says so
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    axe(page)
    page.get_by_label("Upload the GIAS establishment file").set_input_files(str(extract))
    page.get_by_role("button", name="Upload and check").click()
    expect(page.get_by_role("heading", name="Check the result")).to_be_visible()
    expect(page.get_by_text("OpenDate '32-01-1990' is not a date (dd-mm-yyyy)")).to_be_visible()
    axe(page)
    page.get_by_label("Import the whole file, or nothing if any row is wrong").check()
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    axe(page)
    page.get_by_label("Import the valid rows and report the rest").check()
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_role("heading", name="Schools imported")).to_be_visible(timeout=20_000)
    axe(page)
    assert School.objects.count() == 6

    page.get_by_role("link", name="See the schools").click()
    page.get_by_label("Search by name, URN or postcode").fill("St Mary")
    page.get_by_role("button", name="Search").click()
    axe(page)
    page.get_by_role("link", name="St Mary's Church of England Primary School").first.click()
    expect(page.get_by_role("heading", name="St Mary's Church of England Primary School")).to_be_visible()
    axe(page)
