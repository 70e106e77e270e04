"""The demo scheme: a fictional borough programme with every role and ~500 devices with real histories.

Everything is created through the services, so the histories obey the same rules (and leave the same events)
as real use. Running it twice changes nothing.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from devicebank.devices.models import Device, DeviceType, StorageKind
from devicebank.devices.services import DeviceSpec, HandoverKind, device_register, device_transition
from devicebank.devices.states import DeviceState
from devicebank.people.models import Location, Organisation, User
from devicebank.people.roles import OrganisationKind, Role
from devicebank.people.services import membership_grant, two_factor_enrol_demo
from devicebank.people.two_factor import needs_second_factor
from devicebank.programmes.models import Programme
from devicebank.programmes.services import programme_set_funders, programme_set_partners
from devicebank.refurbishment.demo import demo_specifications, refurbish_for_demo
from devicebank.sanitisation.demo import sanitise_for_demo

S = DeviceState
K = OrganisationKind
DEMO_PASSWORD = "devicebank-demo"  # noqa: S105 - published demo sign-in, demo data only
DEMO_DOMAIN = "demo.devicebank.test"
PROGRAMME_SLUG = "northbridge-tech-lending"
GB = 1_000_000_000
GIB = 1024**3


@dataclass(frozen=True)
class DemoUser:
    email: str
    name: str
    organisation: str
    role: Role


SCHOOLS = [
    "Riverside Primary School",
    "St Anne's C of E Primary School",
    "Northbridge Academy",
    "Millfield Secondary School",
    "Oakwood Primary School",
]
COMMUNITY = ["Canal Street Community Centre", "Age Well Northbridge", "New Start Refugee Network"]
DONORS = ["Harbour Logistics Ltd", "Kestrel Insurance plc", "Ashgrove Energy Ltd"]

ORGANISATIONS: list[tuple[str, str, str | None]] = [
    ("devicebank platform", K.PLATFORM, None),
    ("Northbridge Borough Council", K.PROGRAMME_OWNER, None),
    ("Circuit Renew CIC", K.REFURBISHER, None),
    *[(name, K.DONOR, None) for name in DONORS],
    ("Northbridge Learning Trust", K.RESPONSIBLE_BODY, None),
    *[(name, K.SCHOOL, "Northbridge Learning Trust") for name in SCHOOLS],
    *[(name, K.COMMUNITY_ORGANISATION, None) for name in COMMUNITY],
    ("Northbridge Children's Social Care", K.REFERRER, None),
    ("Northbridge Community Foundation", K.FUNDER, None),
]

USERS = [
    DemoUser("admin", "Priya Admin", "devicebank platform", Role.PLATFORM_ADMIN),
    DemoUser("manager", "Morgan Manager", "Northbridge Borough Council", Role.PROGRAMME_MANAGER),
    DemoUser("technician", "Tariq Technician", "Circuit Renew CIC", Role.TECHNICIAN),
    DemoUser("warehouse", "Wendy Warehouse", "Circuit Renew CIC", Role.WAREHOUSE),
    DemoUser("donor", "Dan Donor", "Harbour Logistics Ltd", Role.DONOR_CONTACT),
    DemoUser("school", "Sam School", "Riverside Primary School", Role.ORGANISATION_STAFF),
    DemoUser("trust", "Tess Trust", "Northbridge Learning Trust", Role.ORGANISATION_STAFF),
    DemoUser("community", "Chris Community", "Canal Street Community Centre", Role.ORGANISATION_STAFF),
    DemoUser("referrer", "Riley Referrer", "Northbridge Children's Social Care", Role.REFERRER),
    DemoUser("funder", "Fran Funder", "Northbridge Community Foundation", Role.FUNDER),
]

MODELS: list[tuple[str, str, str, str, int, int, str, str]] = [
    # maker, model, type, cpu, RAM GiB, storage GB, storage kind, serial pattern
    ("Dell", "Latitude 5490", DeviceType.LAPTOP, "Intel Core i5-8350U", 8, 256, StorageKind.SSD, "dell"),
    ("Dell", "Latitude E7470", DeviceType.LAPTOP, "Intel Core i5-6300U", 8, 256, StorageKind.SSD, "dell"),
    ("HP", "EliteBook 840 G5", DeviceType.LAPTOP, "Intel Core i5-8250U", 8, 256, StorageKind.NVME, "hp"),
    ("HP", "EliteBook 840 G3", DeviceType.LAPTOP, "Intel Core i5-6200U", 8, 500, StorageKind.HDD, "hp"),
    (
        "Lenovo",
        "ThinkPad T480",
        DeviceType.LAPTOP,
        "Intel Core i5-8350U",
        16,
        512,
        StorageKind.NVME,
        "lenovo",
    ),
    ("Lenovo", "ThinkPad X280", DeviceType.LAPTOP, "Intel Core i5-8250U", 8, 256, StorageKind.NVME, "lenovo"),
    ("Dell", "OptiPlex 7060", DeviceType.DESKTOP, "Intel Core i5-8500", 8, 256, StorageKind.SSD, "dell"),
    ("Acer", "Chromebook 314", DeviceType.CHROMEBOOK, "Intel Celeron N4020", 4, 64, StorageKind.EMMC, "acer"),
    (
        "Apple",
        "iPad (7th generation)",
        DeviceType.TABLET,
        "Apple A10 Fusion",
        3,
        32,
        StorageKind.UNKNOWN,
        "apple",
    ),
    (
        "Samsung",
        "Galaxy A52",
        DeviceType.PHONE,
        "Qualcomm Snapdragon 720G",
        4,
        128,
        StorageKind.UNKNOWN,
        "samsung",
    ),
]

# How many demo devices end in each state (about 500 in all).
STATE_MIX: list[tuple[DeviceState, int]] = [
    (S.PLEDGED, 40),
    (S.RECEIVED, 45),
    (S.SANITISED, 30),
    (S.IN_REFURBISHMENT, 40),
    (S.READY, 90),
    (S.RESERVED, 30),
    (S.IN_TRANSIT, 15),
    (S.WITH_RECIPIENT, 160),
    (S.RETURNED, 20),
    (S.RECYCLED, 20),
    (S.DESTROYED, 5),
    (S.LOST, 3),
    (S.WITHDRAWN, 2),
]

# The path a device takes to reach each final state.
PATHS: dict[DeviceState, list[DeviceState]] = {
    S.PLEDGED: [],
    S.WITHDRAWN: [S.WITHDRAWN],
    S.RECEIVED: [S.RECEIVED],
    S.SANITISED: [S.RECEIVED, S.SANITISED],
    S.IN_REFURBISHMENT: [S.RECEIVED, S.SANITISED, S.IN_REFURBISHMENT],
    S.READY: [S.RECEIVED, S.SANITISED, S.IN_REFURBISHMENT, S.READY],
    S.RESERVED: [S.RECEIVED, S.SANITISED, S.IN_REFURBISHMENT, S.READY, S.RESERVED],
    S.IN_TRANSIT: [S.RECEIVED, S.SANITISED, S.IN_REFURBISHMENT, S.READY, S.RESERVED, S.IN_TRANSIT],
    S.WITH_RECIPIENT: [
        S.RECEIVED,
        S.SANITISED,
        S.IN_REFURBISHMENT,
        S.READY,
        S.RESERVED,
        S.IN_TRANSIT,
        S.WITH_RECIPIENT,
    ],
    S.RETURNED: [
        S.RECEIVED,
        S.SANITISED,
        S.IN_REFURBISHMENT,
        S.READY,
        S.RESERVED,
        S.IN_TRANSIT,
        S.WITH_RECIPIENT,
        S.RETURNED,
    ],
    S.RECYCLED: [S.RECEIVED, S.RECYCLED],
    S.DESTROYED: [S.RECEIVED, S.DESTROYED],
    S.LOST: [S.RECEIVED, S.SANITISED, S.IN_REFURBISHMENT, S.READY, S.IN_TRANSIT, S.LOST],
}

REASONS: dict[DeviceState, list[str]] = {
    S.RECEIVED: [
        "Collected from donor's office",
        "Dropped off at the town hall",
        "Arrived on the donor's pallet",
    ],
    S.IN_REFURBISHMENT: ["Bench test started", "Battery and keyboard check"],
    S.READY: ["Passed tests, grade B", "Passed tests, grade A", "Reimaged with Windows 11 Pro"],
    S.RESERVED: ["Reserved for a school request", "Reserved for a community lending library"],
    S.IN_TRANSIT: ["Out with the courier", "On the weekly school run"],
    S.RECYCLED: ["Cracked screen, not worth repairing", "Motherboard fault; harvested for parts"],
    S.DESTROYED: ["Drive would not wipe: shredded on site"],
    S.LOST: ["Not delivered: courier investigation opened"],
    S.WITHDRAWN: ["Donor kept the devices for new starters"],
    S.RETURNED: ["Pupil left the school", "No longer needed after the course"],
}


def demo_email(local: str) -> str:
    return f"{local}@{DEMO_DOMAIN}"


def _serial(pattern: str, rng: random.Random) -> str:
    alnum = "0123456789BCDFGHJKLMNPQRSTVWXYZ"
    if pattern == "dell":
        return "".join(rng.choice(alnum) for _ in range(7))
    if pattern == "hp":
        return "5CG" + str(rng.randint(7, 9)) + "".join(rng.choice(alnum) for _ in range(6))
    if pattern == "lenovo":
        return "PF" + "".join(rng.choice(alnum) for _ in range(6))
    if pattern == "apple":
        return "DMP" + "".join(rng.choice(alnum) for _ in range(9))
    if pattern == "acer":
        return "NXHPVEK" + "".join(rng.choice("0123456789") for _ in range(15))
    return "R58" + "".join(rng.choice(alnum) for _ in range(8))


@transaction.atomic
def seed_demo(*, devices: int = 500, seed: int = 2026) -> dict[str, int]:
    """Create (or leave as it is) the demo scheme. Returns what was created."""
    orgs: dict[str, Organisation] = {}
    for name, kind, parent in ORGANISATIONS:
        org, _ = Organisation.objects.get_or_create(
            name=name, kind=kind, defaults={"parent": orgs.get(parent) if parent else None}
        )
        orgs[name] = org

    locations = _locations(orgs)
    users = _users(orgs)
    programme, created = Programme.objects.get_or_create(
        slug=PROGRAMME_SLUG,
        defaults={
            "name": "Northbridge Tech Lending",
            "owner": orgs["Northbridge Borough Council"],
            "area": "London Borough of Northbridge (fictional)",
            "starts_on": date(2026, 1, 5),
            "asset_tag_prefix": "NBT",
        },
    )
    if created:
        programme_set_partners(
            programme=programme,
            organisations=[
                orgs["Circuit Renew CIC"],
                orgs["Northbridge Learning Trust"],
                *(orgs[c] for c in COMMUNITY),
            ],
            by=None,
        )
        programme_set_funders(
            programme=programme, organisations=[orgs["Northbridge Community Foundation"]], by=None
        )
    for user in users.values():  # scopes were built before the programme existed
        if hasattr(user, "_devicebank_access_scope"):
            delattr(user, "_devicebank_access_scope")
    demo_specifications(programme)

    made = 0
    if not Device.objects.filter(programme=programme).exists():
        made = _devices(programme, orgs, locations, users, count=devices, rng=random.Random(seed))  # noqa: S311 - demo data
    return {"organisations": len(orgs), "users": len(users), "devices_created": made}


def _locations(orgs: dict[str, Organisation]) -> dict[str, Location]:
    wanted = [
        ("workshop", "Circuit Renew CIC", "Circuit Renew workshop", Location.Kind.WORKSHOP, "NB1 4RW"),
        ("warehouse", "Circuit Renew CIC", "Circuit Renew warehouse", Location.Kind.WAREHOUSE, "NB1 4RX"),
        ("drop", "Northbridge Borough Council", "Town Hall drop point", Location.Kind.DROP_POINT, "NB1 1TH"),
        *[(name, name, f"{name} office", Location.Kind.SITE, "NB2 3SC") for name in SCHOOLS],
        *[(name, name, f"{name}", Location.Kind.SITE, "NB3 2CC") for name in COMMUNITY],
    ]
    out: dict[str, Location] = {}
    for key, org_name, name, kind, postcode in wanted:
        out[key], _ = Location.objects.get_or_create(
            organisation=orgs[org_name], name=name, defaults={"kind": kind, "postcode": postcode}
        )
    return out


def _users(orgs: dict[str, Organisation]) -> dict[str, User]:
    users: dict[str, User] = {}
    password_hash = make_password(DEMO_PASSWORD)  # hashed once: the slow part of seeding otherwise
    for spec in USERS:
        user = User.objects.filter(email=demo_email(spec.email)).first()
        if user is None:
            is_admin = spec.role == Role.PLATFORM_ADMIN
            user = User.objects.create_user(
                demo_email(spec.email), None, full_name=spec.name, is_staff=is_admin, is_superuser=is_admin
            )
            user.password = password_hash
            user.save(update_fields=["password"])
        membership_grant(user=user, organisation=orgs[spec.organisation], role=spec.role, by=None)
        if settings.DEVICEBANK_DEMO_SECOND_FACTOR and needs_second_factor(user):
            two_factor_enrol_demo(user=user)  # development only: the published demo key (people.two_factor)
        users[spec.email] = user
    return users


def _devices(
    programme: Programme,
    orgs: dict[str, Organisation],
    locations: dict[str, Location],
    users: dict[str, User],
    *,
    count: int,
    rng: random.Random,
) -> int:
    total = sum(n for _, n in STATE_MIX)
    plan = [state for state, n in STATE_MIX for _ in range(max(1, round(n * count / total)))]
    while len(plan) > count:  # rounding: trim the largest group, top up ready stock
        plan.remove(max(set(plan), key=plan.count))
    plan += [S.READY] * (count - len(plan))
    rng.shuffle(plan)
    now = timezone.now()
    recipients = [(name, HandoverKind.LOAN) for name in SCHOOLS] + [(c, HandoverKind.GIFT) for c in COMMUNITY]
    seen: set[str] = set()
    for final in plan:
        maker, model, dtype, cpu, ram, storage, kind, pattern = rng.choice(MODELS)
        serial = _serial(pattern, rng)
        while serial in seen:
            serial = _serial(pattern, rng)
        seen.add(serial)
        donor = orgs[rng.choice(DONORS)]
        start = now - timedelta(days=rng.randint(20, 280), hours=rng.randint(0, 8))
        device = device_register(
            programme=programme,
            spec=DeviceSpec(
                device_type=dtype,
                manufacturer=maker,
                model=model,
                serial_number=serial,
                cpu_model=cpu,
                ram_bytes=ram * GIB,
                storage_bytes=storage * GB,
                storage_kind=kind,
            ),
            by=users["warehouse"],
            donor=donor,
            reason=f"Pledged by {donor.name}",
            occurred_at=start,
        )
        _walk(device, PATHS[final], start, locations, orgs, users, recipients, rng, now)
    return len(plan)


def _walk(
    device: Device,
    path: list[DeviceState],
    start: datetime,
    locations: dict[str, Location],
    orgs: dict[str, Organisation],
    users: dict[str, User],
    recipients: list[tuple[str, HandoverKind]],
    rng: random.Random,
    now: datetime,
) -> None:
    when = start
    recipient, handover = rng.choice(recipients)
    for target in path:
        when = min(
            when + timedelta(days=rng.randint(1, 9), hours=rng.randint(1, 6)), now - timedelta(minutes=5)
        )
        reason = rng.choice(REASONS.get(target, [""]))
        if target == S.SANITISED:
            device = sanitise_for_demo(device, by=users["technician"], at=when, verified=rng.random() < 0.8)
            continue
        if target == S.READY:
            device = refurbish_for_demo(device, by=users["technician"], at=when)
        location = None
        custodian = None
        if target == S.RECEIVED:
            location = locations[rng.choice(["warehouse", "warehouse", "drop"])]
        elif target == S.IN_REFURBISHMENT:
            location = locations["workshop"]
        elif target == S.READY:
            location = locations["warehouse"]
        elif target == S.WITH_RECIPIENT:
            location = locations[recipient]
            custodian = orgs[recipient]
        elif target == S.RETURNED:
            location = locations["warehouse"]
            custodian = orgs["Circuit Renew CIC"]
        actor = (
            users["technician"]
            if target in (S.IN_REFURBISHMENT, S.READY, S.RECYCLED, S.DESTROYED)
            else (users["warehouse"])
        )
        device = device_transition(
            device=device,
            to=target,
            by=actor,
            reason=reason,
            location=location,
            custodian=custodian,
            handover_kind=handover if target == S.WITH_RECIPIENT else None,
            occurred_at=when,
        )
