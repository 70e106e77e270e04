"""Shared fixtures: a small scheme with a persona for every role, and an outsider programme."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from devicebank.devices.models import Device
from devicebank.devices.states import DeviceState
from devicebank.devices.tests.factories import make_device
from devicebank.people.models import Location, Organisation, User
from devicebank.people.roles import OrganisationKind as K
from devicebank.people.roles import Role
from devicebank.people.services import membership_grant
from devicebank.people.tests.factories import LocationFactory, OrganisationFactory, UserFactory
from devicebank.programmes.models import Programme
from devicebank.programmes.tests.factories import ProgrammeFactory


@dataclass
class World:
    programme: Programme
    other_programme: Programme
    council: Organisation
    refurbisher: Organisation
    donor: Organisation
    trust: Organisation
    school: Organisation
    funder: Organisation
    warehouse: Location
    school_site: Location
    other_site: Location
    users: dict[str, User] = field(default_factory=dict)
    device: Device | None = None  # ours, ready, donated by `donor`
    school_device: Device | None = None  # ours, with the school
    other_device: Device | None = None  # another programme's, another organisation's
    donation: Any = None  # set by tests that need one
    pending_import: Any = None

    def user(self, persona: str) -> User:
        return self.users[persona]


PERSONAS = [
    "admin",
    "manager",
    "technician",
    "warehouse",
    "donor",
    "school",
    "trust",
    "referrer",
    "funder",
    "outsider",
]


@pytest.fixture
def world(db: None) -> World:
    council = OrganisationFactory(name="Council", kind=K.PROGRAMME_OWNER)
    refurbisher = OrganisationFactory(name="Refurbisher", kind=K.REFURBISHER)
    donor = OrganisationFactory(name="Donor Ltd", kind=K.DONOR)
    trust = OrganisationFactory(name="Trust", kind=K.RESPONSIBLE_BODY)
    school = OrganisationFactory(name="School", kind=K.SCHOOL, parent=trust)
    funder = OrganisationFactory(name="Funder", kind=K.FUNDER)
    referrer = OrganisationFactory(name="Social care", kind=K.REFERRER)
    platform = OrganisationFactory(name="Platform", kind=K.PLATFORM)
    other_council = OrganisationFactory(name="Other council", kind=K.PROGRAMME_OWNER)

    programme = ProgrammeFactory(name="Scheme", slug="scheme", owner=council, asset_tag_prefix="SCH")
    programme.partners.set([refurbisher, trust])
    programme.funders.set([funder])
    other_programme = ProgrammeFactory(
        name="Other", slug="other", owner=other_council, asset_tag_prefix="OTH"
    )

    warehouse = LocationFactory(organisation=refurbisher, name="Warehouse", kind=Location.Kind.WAREHOUSE)
    school_site = LocationFactory(organisation=school, name="School office")
    other_site = LocationFactory(organisation=other_council, name="Other depot")

    w = World(
        programme,
        other_programme,
        council,
        refurbisher,
        donor,
        trust,
        school,
        funder,
        warehouse,
        school_site,
        other_site,
    )
    memberships = {
        "admin": (platform, Role.PLATFORM_ADMIN),
        "manager": (council, Role.PROGRAMME_MANAGER),
        "technician": (refurbisher, Role.TECHNICIAN),
        "warehouse": (refurbisher, Role.WAREHOUSE),
        "donor": (donor, Role.DONOR_CONTACT),
        "school": (school, Role.ORGANISATION_STAFF),
        "trust": (trust, Role.ORGANISATION_STAFF),
        "referrer": (referrer, Role.REFERRER),
        "funder": (funder, Role.FUNDER),
        "outsider": (other_council, Role.PROGRAMME_MANAGER),
    }
    for persona, (org, role) in memberships.items():
        user = UserFactory(email=f"{persona}@example.org", full_name=persona.title())
        membership_grant(user=user, organisation=org, role=role, by=None)
        w.users[persona] = user

    w.device = make_device(programme=programme, location=warehouse, state=DeviceState.READY, donor=donor)
    school_device = make_device(programme=programme, location=warehouse, state=DeviceState.IN_TRANSIT)
    from devicebank.devices.services import device_transition

    w.school_device = device_transition(
        device=school_device,
        to=DeviceState.WITH_RECIPIENT,
        by=None,
        location=school_site,
        custodian=school,
        handover_kind="loan",
    )
    w.other_device = make_device(programme=other_programme, location=other_site, state=DeviceState.READY)
    return w
