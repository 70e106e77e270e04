"""Granting and revoking roles: through the services, with events that hold ids only; the admin uses them."""

from __future__ import annotations

import pytest
from django.test import Client

from devicebank.conftest import World
from devicebank.core.models import Event, EventKind
from devicebank.people.access import forget_scope, scope_for
from devicebank.people.models import Membership
from devicebank.people.roles import Role
from devicebank.people.services import membership_grant, membership_revoke
from devicebank.people.tests.factories import UserFactory

ID_ONLY_KEYS = {"user_id", "organisation_id", "role"}


def test_granting_a_role_records_an_event_with_ids_only(world: World) -> None:
    person = UserFactory(full_name="Jo Bloggs", email="jo@example.org")
    membership = membership_grant(
        user=person, organisation=world.refurbisher, role=Role.TECHNICIAN, by=world.user("admin")
    )
    event = Event.objects.get(kind=EventKind.MEMBERSHIP_GRANTED, subject_id=membership.pk)
    assert set(event.data) == ID_ONLY_KEYS
    assert event.data == {"user_id": person.pk, "organisation_id": world.refurbisher.pk, "role": "technician"}
    assert event.actor_id == world.user("admin").pk
    assert "Jo" not in str(event.data)
    assert "jo@" not in str(event.data)
    assert event.reason == ""
    # Granting again changes nothing and records nothing.
    membership_grant(user=person, organisation=world.refurbisher, role=Role.TECHNICIAN, by=None)
    assert Event.objects.filter(kind=EventKind.MEMBERSHIP_GRANTED, subject_id=membership.pk).count() == 1


def test_revoking_a_role_ends_the_access_it_gave_and_records_an_event(world: World) -> None:
    technician = world.user("technician")
    assert world.programme.pk in scope_for(technician).operational_programme_ids
    membership = Membership.objects.get(user=technician, role=Role.TECHNICIAN)

    assert membership_revoke(membership=membership, by=world.user("admin")) is True
    forget_scope(technician)  # scopes are built once per request; this test is one "request" long
    assert world.programme.pk not in scope_for(technician).operational_programme_ids
    event = Event.objects.get(kind=EventKind.MEMBERSHIP_REVOKED, subject_id=membership.pk)
    assert event.data == {
        "user_id": technician.pk,
        "organisation_id": world.refurbisher.pk,
        "role": "technician",
    }
    assert membership_revoke(membership=membership, by=None) is False  # already gone: no second event
    assert Event.objects.filter(kind=EventKind.MEMBERSHIP_REVOKED).count() == 1


@pytest.fixture
def admin_client(world: World) -> Client:
    return _admin_client(world)


def _admin_client(world: World) -> Client:
    admin_user = world.user("admin")
    admin_user.is_staff = admin_user.is_superuser = True  # as the demo's platform admin
    admin_user.save(update_fields=["is_staff", "is_superuser"])
    client = Client()
    client.force_login(world.user("admin"))
    return client


def test_the_admin_grants_through_the_service(world: World, admin_client: Client) -> None:
    person = UserFactory()
    response = admin_client.post(
        "/admin/people/membership/add/",
        {"user": person.pk, "organisation": world.refurbisher.pk, "role": Role.WAREHOUSE},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    membership = Membership.objects.get(user=person)
    event = Event.objects.get(kind=EventKind.MEMBERSHIP_GRANTED, subject_id=membership.pk)
    assert event.actor_id == world.user("admin").pk


def test_the_admin_revokes_through_the_service_one_or_many(world: World, admin_client: Client) -> None:
    one = Membership.objects.get(user=world.user("warehouse"))
    response = admin_client.post(f"/admin/people/membership/{one.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    many = list(Membership.objects.filter(user__in=[world.user("school"), world.user("trust")]))
    response = admin_client.post(
        "/admin/people/membership/",
        {"action": "delete_selected", "_selected_action": [m.pk for m in many], "post": "yes"},
    )
    assert response.status_code == 302
    revoked = set(
        Event.objects.filter(kind=EventKind.MEMBERSHIP_REVOKED).values_list("subject_id", flat=True)
    )
    assert revoked == {one.pk, *(m.pk for m in many)}


def test_the_admin_cannot_edit_a_role_in_place_or_delete_people_or_organisations(
    world: World, admin_client: Client
) -> None:
    membership = Membership.objects.get(user=world.user("warehouse"))
    before = membership.role
    admin_client.post(
        f"/admin/people/membership/{membership.pk}/change/",
        {
            "user": membership.user_id,
            "organisation": membership.organisation_id,
            "role": Role.PROGRAMME_MANAGER,
        },
    )
    membership.refresh_from_db()
    assert membership.role == before
    # The person's page lists their roles read-only.
    page = admin_client.get(f"/admin/people/user/{world.user('warehouse').pk}/change/")
    assert page.status_code == 200
    assert 'name="memberships-0-role"' not in page.content.decode()
    assert admin_client.get(f"/admin/people/user/{world.user('donor').pk}/delete/").status_code == 403
    assert admin_client.get(f"/admin/people/organisation/{world.donor.pk}/delete/").status_code == 403
