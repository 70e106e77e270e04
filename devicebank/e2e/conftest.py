"""Browser tests: Playwright driving Debian's Chromium against a live server, axe-core on every page visited.

Run with `make test-browser` (marker `browser`). We never download a browser: /usr/bin/chromium is Debian's.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = os.environ.get("DEVICEBANK_CHROMIUM", "/usr/bin/chromium")
AXE_RULESETS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@pytest.fixture(autouse=True, scope="session")
def _allow_sync_orm_beside_playwright() -> Any:
    """Playwright's sync API runs an event loop in this thread; the live server's ORM calls are still sync."""
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-quic",
            "--no-first-run",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    # axe-core is injected as a script, which our strict CSP (rightly) blocks; test_csp checks the CSP itself.
    return {**browser_context_args, "bypass_csp": True, "locale": "en-GB"}


def _check_axe_available() -> None:
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `npm ci` (make test-browser does).")
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"{CHROMIUM} is missing: run `sudo apt-get install -y --no-install-recommends chromium` "
            "(make test-browser does, as root), or set DEVICEBANK_CHROMIUM to a Chromium you have."
        )


@pytest.fixture
def axe() -> Callable[[Any], None]:
    """Call axe(page) on every page a test visits: fails on any WCAG 2.2 A/AA violation."""
    _check_axe_available()

    def check(page: Any) -> None:
        page.add_script_tag(path=str(AXE))
        result = page.evaluate(
            "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_RULESETS
        )
        violations = [
            f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
            for v in result["violations"]
        ]
        assert not violations, f"axe-core on {page.url}:\n" + "\n".join(violations)

    return check


def enter_code_if_asked(page: Any, base_url: str, email: str) -> None:
    """The second step of signing in, for people who have an authenticator: type the code it shows now."""
    from devicebank.people.models import User
    from devicebank.people.tests.helpers import fresh_code
    from devicebank.people.two_factor import authenticator_for

    page.wait_for_load_state()
    if "/sign-in/code/" not in page.url:
        return
    device = authenticator_for(User.objects.get(email=email))
    assert device is not None
    page.get_by_label("Security code").fill(fresh_code(device))
    page.get_by_role("button", name="Continue").click()


def enrol_if_needed(email: str) -> None:
    """Staff who must use two-factor sign-in get an authenticator before the test signs them in."""
    from devicebank.people.models import User
    from devicebank.people.tests.helpers import enrol
    from devicebank.people.two_factor import needs_second_factor

    user = User.objects.get(email=email)
    if needs_second_factor(user):
        enrol(user)


@pytest.fixture
def sign_in(live_server: Any, axe: Callable[[Any], None]) -> Callable[[Any, str, str], None]:
    """Sign in through the real pages: password, then (for staff) the code step, each checked with axe."""

    def go(page: Any, email: str, password: str) -> None:
        enrol_if_needed(email)
        page.goto(f"{live_server.url}/sign-in/")
        axe(page)
        page.get_by_label("Email address").fill(email)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_load_state()
        if "/sign-in/code/" in page.url:
            axe(page)
            enter_code_if_asked(page, live_server.url, email)
        page.wait_for_url(f"{live_server.url}/")

    return go
