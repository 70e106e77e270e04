"""The navigation shows a link exactly when its page opens for the person reading it."""

from __future__ import annotations

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from devicebank.conftest import PERSONAS, World
from devicebank.people.access import scope_for
from devicebank.people.capabilities import Capability
from devicebank.portal.navigation import SECTIONS, navigation_for


def _links(client: Client) -> dict[str, str]:
    response = client.get("/")
    return {item.label: item.url for item in response.context["navigation"]}


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_link_in_the_navigation_opens_and_no_capability_page_is_hidden_from_who_may_open_it(
    world: World, persona: str
) -> None:
    client = Client()
    client.force_login(world.user(persona))
    links = _links(client)
    for label, url in links.items():
        assert client.get(url).status_code == 200, f"{persona}: {label} ({url}) is linked but does not open"
    scope = scope_for(world.user(persona))
    for section in SECTIONS:
        if not isinstance(section.shown, Capability):
            continue
        url = reverse(section.url_name)
        opens = client.get(url).status_code == 200
        assert opens == (section.label in links), f"{persona}: {section.label} opens={opens}"
        assert opens == section.shown.anywhere(scope)


def test_warehouse_staff_are_not_shown_sanitisation_whose_queue_is_not_theirs(world: World) -> None:
    client = Client()
    client.force_login(world.user("warehouse"))
    links = _links(client)
    assert "Sanitisation" not in links
    assert "Donations" in links
    assert "Workbench" in links  # they see refurbishment records, read-only
    assert client.get("/sanitisation/").status_code == 403


def test_technicians_are_shown_sanitisation(world: World) -> None:
    client = Client()
    client.force_login(world.user("technician"))
    assert "Sanitisation" in _links(client)


def test_nobody_signed_out_gets_a_navigation(world: World) -> None:
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    assert navigation_for(request) == []
