"""What each person's home page shows: what needs doing next, for their roles."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count
from django.urls import reverse

from devicebank.devices.selectors import device_list, device_state_counts, programme_state_counts
from devicebank.devices.states import DeviceState
from devicebank.people.access import scope_for
from devicebank.programmes.models import Programme

S = DeviceState

# Queues of work, in the order devices flow through a scheme.
QUEUES: list[tuple[str, tuple[DeviceState, ...], str]] = [
    ("Expected from donors", (S.PLEDGED,), "Pledged devices not yet received."),
    ("Awaiting sanitisation", (S.RECEIVED, S.RETURNED), "Wipe these before anything else."),
    ("In refurbishment", (S.SANITISED, S.IN_REFURBISHMENT), "Test, grade, repair and image."),
    ("Ready to allocate", (S.READY,), "In stock and free to promise."),
    ("To dispatch", (S.RESERVED,), "Promised: pick, pack and send."),
    ("In transit", (S.IN_TRANSIT,), "Confirm delivery when they arrive."),
]


@dataclass
class Queue:
    title: str
    hint: str
    count: int
    url: str


@dataclass
class Section:
    title: str
    kind: str
    queues: list[Queue] = field(default_factory=list)
    counts: list[tuple[str, int]] = field(default_factory=list)
    devices: list[Any] = field(default_factory=list)
    note: str = ""


def _list_url(states: tuple[DeviceState, ...]) -> str:
    return f"{reverse('devices:list')}?{urlencode([('state', s.value) for s in states])}"


def home_sections(user: Any) -> list[Section]:
    scope = scope_for(user)
    sections: list[Section] = []
    if scope.is_platform_admin or scope.programme_roles:
        counts = device_state_counts(user=user)
        queues = [
            Queue(title, hint, sum(counts[s.value] for s in states), _list_url(states))
            for title, states, hint in QUEUES
        ]
        sections.append(
            Section(
                title="Work queues",
                kind="queues",
                queues=queues,
                counts=[(S(state).label, n) for state, n in counts.items() if n],
            )
        )
    held_orgs = scope.custodian_org_ids - _operational_orgs(scope)
    if held_orgs and not scope.is_platform_admin:
        devices = list(
            device_list(user=user).filter(custodian_id__in=held_orgs).order_by("-state_changed_at")[:20]
        )
        sections.append(
            Section(
                title="Your organisation's devices",
                kind="devices",
                devices=devices,
                note="Devices your organisation holds or has handed to the people it supports.",
            )
        )
    if scope.donor_org_ids and not scope.is_platform_admin:
        qs = device_list(user=user).filter(donor_id__in=scope.donor_org_ids)
        counts_by_state = dict(qs.order_by().values_list("state").annotate(n=Count("id")))
        sections.append(
            Section(
                title="What happened to your donated devices",
                kind="counts",
                counts=[(S(s).label, n) for s, n in sorted(counts_by_state.items())],
                note="Every device you donated and where it is now. Open the device list for each serial.",
            )
        )
    if scope.funded_programme_ids and not scope.is_platform_admin:
        for programme in Programme.objects.filter(pk__in=scope.funded_programme_ids).order_by("name"):
            counts = programme_state_counts(programme_ids={programme.pk})
            sections.append(
                Section(
                    title=f"{programme.name}: devices by state",
                    kind="counts",
                    counts=[(S(s).label, n) for s, n in counts.items() if n],
                    note="Aggregate figures only.",
                )
            )
    if not sections:
        sections.append(
            Section(
                title="Nothing to do yet",
                kind="empty",
                note="Your account has no work in devicebank yet. Ask your programme manager for access.",
            )
        )
    return sections


def _operational_orgs(scope: Any) -> frozenset[int]:
    # Refurbishers' own stock shows in the queues; the "held devices" list is for schools and charities.
    from devicebank.people.models import Membership
    from devicebank.people.roles import OPERATIONAL_ROLES

    if not scope.user_id:
        return frozenset()
    return frozenset(
        Membership.objects.filter(user_id=scope.user_id, role__in=OPERATIONAL_ROLES).values_list(
            "organisation_id", flat=True
        )
    )
