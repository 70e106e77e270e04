"""Programme managers give and take away roles, only where the access stays inside their own programmes."""

from __future__ import annotations

import pytest
from django.test import Client

from devicebank.conftest import World
from devicebank.core.models import Event, EventKind
from devicebank.people.access import scope_for
from devicebank.people.models import Membership
from devicebank.people.permissions import roles_grantable
from devicebank.people.roles import Role
from devicebank.people.tests.factories import UserFactory
from devicebank.programmes.services import programme_partner_add


def _client(world: World, persona: str) -> Client:
    client = Client()
    client.force_login(world.user(persona))
    return client


def test_a_manager_manages_only_organisations_whose_access_stays_in_their_programmes(world: World) -> None:
    grantable = roles_grantable(scope_for(world.user("manager")))
    assert grantable == {
        world.council.pk: {Role.PROGRAMME_MANAGER},
        world.refurbisher.pk: {Role.TECHNICIAN, Role.WAREHOUSE},
        world.trust.pk: {Role.ORGANISATION_STAFF},
        world.funder.pk: {Role.FUNDER},
    }


def test_a_partner_that_also_works_for_another_programme_is_left_to_the_platform_admins(world: World) -> None:
    programme_partner_add(programme=world.other_programme, organisation=world.refurbisher, by=None)
    assert world.refurbisher.pk not in roles_grantable(scope_for(world.user("manager")))
    assert world.refurbisher.pk not in roles_grantable(scope_for(world.user("outsider")))
    assert world.refurbisher.pk in roles_grantable(scope_for(world.user("admin")))


def test_a_manager_gives_a_role_by_email_in_any_case_and_it_is_recorded(world: World) -> None:
    newcomer = UserFactory(email="new.tech@example.org")
    response = _client(world, "manager").post(
        "/people/",
        {"email": "New.Tech@Example.org", "organisation": world.refurbisher.pk, "role": Role.TECHNICIAN},
    )
    assert response.status_code == 302
    membership = Membership.objects.get(user=newcomer)
    assert (membership.organisation, membership.role) == (world.refurbisher, Role.TECHNICIAN)
    event = Event.objects.get(kind=EventKind.MEMBERSHIP_GRANTED, subject_id=membership.pk)
    assert event.actor_id == world.user("manager").pk
    assert event.data == {
        "user_id": newcomer.pk,
        "organisation_id": world.refurbisher.pk,
        "role": "technician",
    }


@pytest.mark.parametrize(
    ("organisation", "role", "message"),
    [
        ("other_council", Role.PROGRAMME_MANAGER, "Choose an organisation from the list"),
        ("donor", Role.DONOR_CONTACT, "Choose an organisation from the list"),
        ("refurbisher", Role.PROGRAMME_MANAGER, "you can give only these roles: technician, warehouse"),
        ("council", Role.PLATFORM_ADMIN, "Choose a role from the list"),
    ],
)
def test_a_manager_cannot_give_roles_outside_their_reach(
    world: World, organisation: str, role: str, message: str
) -> None:
    newcomer = UserFactory(email="new@example.org")
    org = {"other_council": world.other_programme.owner, "donor": world.donor}.get(organisation) or getattr(
        world, organisation
    )
    response = _client(world, "manager").post(
        "/people/", {"email": newcomer.email, "organisation": org.pk, "role": role}
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Membership.objects.filter(user=newcomer).exists()


def test_an_unknown_email_address_is_refused_and_what_was_typed_is_kept(world: World) -> None:
    response = _client(world, "manager").post(
        "/people/",
        {"email": "nobody@example.org", "organisation": world.refurbisher.pk, "role": Role.WAREHOUSE},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is no devicebank account with that email address" in page
    assert 'value="nobody@example.org"' in page


def test_a_manager_removes_a_role_and_it_is_recorded(world: World) -> None:
    membership = Membership.objects.get(user=world.user("warehouse"))
    response = _client(world, "manager").post(f"/people/{membership.pk}/revoke/")
    assert response.status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()
    event = Event.objects.get(kind=EventKind.MEMBERSHIP_REVOKED, subject_id=membership.pk)
    assert event.actor_id == world.user("manager").pk


def test_a_manager_cannot_remove_roles_elsewhere_or_their_own(world: World) -> None:
    manager = _client(world, "manager")
    outsiders = Membership.objects.get(user=world.user("outsider"))
    assert manager.post(f"/people/{outsiders.pk}/revoke/").status_code == 404
    donors = Membership.objects.get(user=world.user("donor"))
    assert manager.post(f"/people/{donors.pk}/revoke/").status_code == 404
    own = Membership.objects.get(user=world.user("manager"))
    response = manager.post(f"/people/{own.pk}/revoke/", follow=True)
    assert "You cannot remove your own programme manager role" in response.content.decode()
    assert Membership.objects.filter(pk=own.pk).exists()
    assert not Event.objects.filter(kind=EventKind.MEMBERSHIP_REVOKED).exists()


def test_the_page_lists_only_the_roles_the_manager_can_manage(world: World) -> None:
    page = _client(world, "manager").get("/people/").content.decode()
    for persona in ["technician", "warehouse", "trust", "funder"]:
        assert world.user(persona).email in page
    for persona in ["donor", "school", "outsider", "admin", "referrer"]:
        assert world.user(persona).email not in page


@pytest.mark.parametrize("persona", ["technician", "warehouse", "donor", "school", "funder", "referrer"])
def test_people_who_manage_no_programme_cannot_use_the_page(world: World, persona: str) -> None:
    client = _client(world, persona)
    assert client.get("/people/").status_code == 403
    membership = Membership.objects.get(user=world.user("warehouse"))
    assert client.post(f"/people/{membership.pk}/revoke/").status_code == 403
