"""Synthetic devices at scale for benchmarks: bulk inserts, with histories that keep the lifecycle's rules.

Rows go straight in with COPY (PostgreSQL) or executemany (SQLite), bypassing the services on purpose: a
million devices through `device_transition` would take hours. What is written still obeys the invariants
(every device past `sanitised` points at a sanitisation outcome; every device has its events).
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from devicebank.core.bulk import EVENT_COLUMNS, insert_rows, sync_sequences
from devicebank.core.models import Event, EventKind
from devicebank.devices.models import Device
from devicebank.devices.states import DeviceState
from devicebank.people.models import Location, Organisation
from devicebank.people.roles import OrganisationKind
from devicebank.programmes.models import Programme
from devicebank.programmes.services import (
    format_asset_tag,
    programme_allocate_asset_numbers,
    programme_partner_add,
)
from devicebank.sanitisation.models import SanitisationOutcome

S = DeviceState
STATE_WEIGHTS = [
    (S.PLEDGED, 5),
    (S.RECEIVED, 8),
    (S.SANITISED, 5),
    (S.IN_REFURBISHMENT, 7),
    (S.READY, 20),
    (S.RESERVED, 5),
    (S.IN_TRANSIT, 3),
    (S.WITH_RECIPIENT, 35),
    (S.RETURNED, 4),
    (S.RECYCLED, 6),
    (S.DESTROYED, 1),
    (S.LOST, 1),
]
SANITISED_STATES = {S.SANITISED, S.IN_REFURBISHMENT, S.READY, S.RESERVED, S.IN_TRANSIT, S.WITH_RECIPIENT}
MAKERS = [
    ("Dell", "dell", "Latitude 5490"),
    ("HP", "hp", "EliteBook 840 G5"),
    ("Lenovo", "lenovo", "ThinkPad T480"),
    ("Acer", "acer", "Chromebook 314"),
    ("Apple", "apple", "iPad (7th generation)"),
]
TYPES = {"Dell": "laptop", "HP": "laptop", "Lenovo": "laptop", "Acer": "chromebook", "Apple": "tablet"}


@dataclass(frozen=True)
class SyntheticResult:
    programme: str
    devices: int
    events: int
    seconds: float


def _programme(slug: str) -> tuple[Programme, list[Location], list[Organisation]]:
    owner, _ = Organisation.objects.get_or_create(
        name="Synthetic Council", kind=OrganisationKind.PROGRAMME_OWNER
    )
    refurbisher, _ = Organisation.objects.get_or_create(
        name="Synthetic Refurbisher", kind=OrganisationKind.REFURBISHER
    )
    prefix = "SY" + "".join(ch for ch in slug.upper() if ch.isalpha())[:3]
    programme, created = Programme.objects.get_or_create(
        slug=slug, defaults={"name": f"Synthetic {slug}", "owner": owner, "asset_tag_prefix": prefix[:5]}
    )
    if created:
        programme_partner_add(programme=programme, organisation=refurbisher, by=None)
    locations = [
        Location.objects.get_or_create(organisation=refurbisher, name=f"Synthetic site {i}")[0]
        for i in range(20)
    ]
    schools = [
        Organisation.objects.get_or_create(name=f"Synthetic school {i}", kind=OrganisationKind.SCHOOL)[0]
        for i in range(50)
    ]
    return programme, locations, [refurbisher, *schools]


def _next_id(model: Any) -> int:
    return int(model.objects.aggregate(m=Max("id"))["m"] or 0) + 1


def generate_synthetic(
    *, devices: int, programme_slug: str = "synthetic", seed: int = 1, batch: int = 20_000
) -> SyntheticResult:
    """Insert `devices` devices with ~3 events each into the programme `programme_slug` (created if needed)."""
    started = timezone.now()
    rng = random.Random(seed)  # noqa: S311 - synthetic data
    programme, locations, orgs = _programme(programme_slug)
    numbers = programme_allocate_asset_numbers(programme=programme, count=devices)
    states = [s for s, _ in STATE_WEIGHTS]
    weights = [w for _, w in STATE_WEIGHTS]
    now = timezone.now()
    events = 0
    with transaction.atomic():
        device_id = _next_id(Device)
        outcome_id = _next_id(SanitisationOutcome)
        event_id = _next_id(Event)
        # Explicit ids keep device <-> sanitisation links in one pass; sequences are synced afterwards.
        for chunk_start in range(0, devices, batch):
            chunk = numbers[chunk_start : chunk_start + batch]
            device_rows, outcome_rows, event_rows = [], [], []
            for number in chunk:
                state = rng.choices(states, weights)[0]
                maker, key, model = rng.choice(MAKERS)
                serial = f"{key[:2].upper()}{programme.pk:02d}{number:09d}"
                created = now - timedelta(days=rng.randint(10, 700), seconds=rng.randint(0, 86400))
                changed = created + timedelta(days=rng.randint(1, 9))
                location = rng.choice(locations)
                custodian = rng.choice(orgs[1:]) if state == S.WITH_RECIPIENT else orgs[0]
                sanitisation_id = None
                if state in SANITISED_STATES:
                    sanitisation_id = outcome_id
                    outcome_rows.append(
                        (
                            outcome_id,
                            device_id,
                            "erasure",
                            "clear",
                            "synthetic",
                            created,
                            created,
                            created + timedelta(days=1),
                        )
                    )
                    outcome_id += 1
                device_rows.append(
                    (
                        device_id,
                        format_asset_tag(programme.asset_tag_prefix, number),
                        programme.pk,
                        TYPES[maker],
                        maker,
                        key,
                        model,
                        serial,
                        serial,
                        "Intel Core i5-8350U",
                        8 * 1024**3,
                        256 * 10**9,
                        "ssd",
                        state.value,
                        changed,
                        location.pk if state != S.PLEDGED else None,
                        custodian.pk if state != S.PLEDGED else None,
                        None,
                        sanitisation_id,
                        created,
                        changed,
                        None,
                        "",
                    )
                )
                for kind, when, data in _history(state, created, changed, location):
                    event_rows.append(
                        (
                            event_id,
                            when,
                            None,
                            kind,
                            "devices.device",
                            device_id,
                            programme.pk,
                            "",
                            data,
                            None,
                        )
                    )
                    event_id += 1
                device_id += 1
            insert_rows(Device, DEVICE_COLUMNS, device_rows)
            insert_rows(SanitisationOutcome, OUTCOME_COLUMNS, outcome_rows)
            insert_rows(Event, EVENT_COLUMNS, event_rows)
            events += len(event_rows)
        sync_sequences([Device, SanitisationOutcome, Event])
    seconds = (timezone.now() - started).total_seconds()
    return SyntheticResult(programme=programme.slug, devices=devices, events=events, seconds=seconds)


def _history(
    state: DeviceState, created: datetime, changed: datetime, location: Location
) -> Iterator[tuple[str, datetime, str]]:
    import json

    yield EventKind.DEVICE_REGISTERED, created, json.dumps({"new": "pledged"})
    if state == S.PLEDGED:
        return
    place = {"id": location.pk}
    received = created + timedelta(hours=6)
    yield (
        EventKind.DEVICE_STATE_CHANGED,
        received,
        json.dumps({"old": "pledged", "new": "received", "location": place}),
    )
    if state != S.RECEIVED:
        yield (
            EventKind.DEVICE_STATE_CHANGED,
            changed,
            json.dumps({"old": "received", "new": state.value, "location": place}),
        )


DEVICE_COLUMNS = [
    "id",
    "asset_tag",
    "programme_id",
    "device_type",
    "manufacturer",
    "manufacturer_key",
    "model",
    "serial_number",
    "serial_key",
    "cpu_model",
    "ram_bytes",
    "storage_bytes",
    "storage_kind",
    "state",
    "state_changed_at",
    "location_id",
    "custodian_id",
    "donor_id",
    "sanitisation_id",
    "created_at",
    "updated_at",
    "donation_id",
    "donor_asset_tag",
]
OUTCOME_COLUMNS = ["id", "device_id", "basis", "level", "summary", "recorded_at", "created_at", "updated_at"]
