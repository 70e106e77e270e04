"""Shared fixtures: a small scheme with a persona for every role, and an outsider programme."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from django.test import Client

from devicebank.devices.models import Device
from devicebank.devices.states import DeviceState
from devicebank.devices.tests.factories import make_device
from devicebank.people.models import Location, Organisation, User
from devicebank.people.roles import OrganisationKind as K
from devicebank.people.roles import Role
from devicebank.people.services import membership_grant
from devicebank.people.tests.factories import LocationFactory, OrganisationFactory, UserFactory
from devicebank.programmes.models import Programme
from devicebank.programmes.services import programme_set_funders, programme_set_partners
from devicebank.programmes.tests.factories import ProgrammeFactory


@pytest.fixture(autouse=True)
def _force_login_includes_the_second_factor(monkeypatch: pytest.MonkeyPatch) -> None:
    """In tests, `client.force_login(user)` stands for a whole sign-in, second factor included: people whose
    role needs one get an authenticator and a verified session. Tests of the sign-in steps themselves post to
    /sign-in/ and /sign-in/code/ instead (people/tests/test_two_factor.py)."""
    from devicebank.people.tests.helpers import complete_second_factor

    original = Client.force_login

    def force_login(self: Client, user: Any, backend: str | None = None) -> None:
        original(self, user, backend)
        complete_second_factor(self, user)

    monkeypatch.setattr(Client, "force_login", force_login)


@pytest.fixture(autouse=True)
def evidence_root(settings: Any, tmp_path_factory: pytest.TempPathFactory) -> Any:
    """Every test keeps evidence files (core/evidence.py) under a fresh temporary MEDIA_ROOT, never var/media:
    tests cannot see each other's files, and nothing is left behind."""
    root = tmp_path_factory.mktemp("media")
    settings.MEDIA_ROOT = root
    settings.STORAGES = {
        **settings.STORAGES,
        "evidence": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(root / "evidence")},
        },
    }
    return root / "evidence"


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
    programme_set_partners(programme=programme, organisations=[refurbisher, trust], by=None)
    programme_set_funders(programme=programme, organisations=[funder], by=None)
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
