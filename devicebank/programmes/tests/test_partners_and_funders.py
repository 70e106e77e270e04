"""Who works in and who funds a programme: changed through services, each change an event with ids only."""

from __future__ import annotations

import pytest

from devicebank.conftest import World
from devicebank.core.errors import DomainError
from devicebank.core.models import Event, EventKind
from devicebank.people.access import forget_scope, scope_for
from devicebank.people.roles import OrganisationKind
from devicebank.people.tests.factories import OrganisationFactory
from devicebank.people.tests.test_memberships import _admin_client
from devicebank.programmes.services import (
    programme_funder_add,
    programme_funder_remove,
    programme_partner_add,
    programme_partner_remove,
    programme_set_partners,
)


def _events(kind: EventKind) -> list[Event]:
    return list(Event.objects.filter(kind=kind).order_by("id"))


def test_removing_a_partner_ends_its_staffs_view_of_the_programme_and_is_recorded(world: World) -> None:
    technician = world.user("technician")
    assert world.programme.pk in scope_for(technician).operational_programme_ids
    assert programme_partner_remove(
        programme=world.programme, organisation=world.refurbisher, by=world.user("admin")
    )
    forget_scope(technician)
    assert world.programme.pk not in scope_for(technician).operational_programme_ids
    [event] = _events(EventKind.PROGRAMME_PARTNER_REMOVED)
    assert (event.subject_type, event.subject_id, event.programme_id) == (
        "programmes.programme",
        world.programme.pk,
        world.programme.pk,
    )
    assert event.data == {"organisation_id": world.refurbisher.pk}
    assert event.actor_id == world.user("admin").pk


def test_adding_a_partner_twice_records_one_event(world: World) -> None:
    charity = OrganisationFactory(name="Charity", kind=OrganisationKind.COMMUNITY_ORGANISATION)
    before = len(_events(EventKind.PROGRAMME_PARTNER_ADDED))
    assert programme_partner_add(programme=world.programme, organisation=charity, by=None) is True
    assert programme_partner_add(programme=world.programme, organisation=charity, by=None) is False
    assert len(_events(EventKind.PROGRAMME_PARTNER_ADDED)) == before + 1
    assert _events(EventKind.PROGRAMME_PARTNER_ADDED)[-1].data == {"organisation_id": charity.pk}


def test_the_owner_is_not_also_a_partner(world: World) -> None:
    with pytest.raises(DomainError):
        programme_partner_add(programme=world.programme, organisation=world.council, by=None)


def test_funders_come_and_go_with_events(world: World) -> None:
    funder = world.user("funder")
    assert world.programme.pk in scope_for(funder).funded_programme_ids
    programme_funder_remove(programme=world.programme, organisation=world.funder, by=None)
    forget_scope(funder)
    assert world.programme.pk not in scope_for(funder).funded_programme_ids
    programme_funder_add(programme=world.programme, organisation=world.funder, by=None)
    assert [e.data for e in _events(EventKind.PROGRAMME_FUNDER_REMOVED)] == [
        {"organisation_id": world.funder.pk}
    ]
    assert _events(EventKind.PROGRAMME_FUNDER_ADDED)[-1].data == {"organisation_id": world.funder.pk}


def test_setting_the_partner_list_records_each_change(world: World) -> None:
    charity = OrganisationFactory(name="Charity", kind=OrganisationKind.COMMUNITY_ORGANISATION)
    programme_set_partners(programme=world.programme, organisations=[world.trust, charity], by=None)
    assert set(world.programme.partners.all()) == {world.trust, charity}
    assert _events(EventKind.PROGRAMME_PARTNER_REMOVED)[-1].data == {"organisation_id": world.refurbisher.pk}
    assert _events(EventKind.PROGRAMME_PARTNER_ADDED)[-1].data == {"organisation_id": charity.pk}


def test_the_admin_changes_partners_and_funders_through_the_services(world: World) -> None:
    client = _admin_client(world)
    programme = world.programme
    page = client.get(f"/admin/programmes/programme/{programme.pk}/change/")
    assert page.status_code == 200
    response = client.post(
        f"/admin/programmes/programme/{programme.pk}/change/",
        {
            "name": programme.name,
            "slug": programme.slug,
            "owner": programme.owner_id,
            "partners": [world.trust.pk],
            "funders": [],
            "area": "",
            "asset_tag_prefix": programme.asset_tag_prefix,
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert list(programme.partners.all()) == [world.trust]
    assert not programme.funders.exists()
    removed = _events(EventKind.PROGRAMME_PARTNER_REMOVED)
    assert [e.data for e in removed] == [{"organisation_id": world.refurbisher.pk}]
    assert removed[0].actor_id == world.user("admin").pk
    assert [e.data for e in _events(EventKind.PROGRAMME_FUNDER_REMOVED)] == [
        {"organisation_id": world.funder.pk}
    ]
