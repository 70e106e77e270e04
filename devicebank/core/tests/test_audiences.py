"""Event audiences: the database filter and the check on one event read agree, for every kind and audience."""

from __future__ import annotations

import itertools

import pytest

from devicebank.core.audiences import (
    OUTSIDE,
    STAFF_ONLY,
    Audience,
    event_filter,
    event_visible,
    visible_data,
)
from devicebank.core.models import Event, EventKind

pytestmark = pytest.mark.django_db

STATES = [
    "pledged",
    "received",
    "sanitised",
    "in_refurbishment",
    "ready",
    "in_transit",
    "with_recipient",
    "lost",
]


def _all_events() -> list[Event]:
    events = []
    for kind in EventKind:
        for state in STATES:
            events.append(
                Event.objects.create(
                    kind=kind,
                    subject_type="devices.device",
                    subject_id=1,
                    data={"new": state, "old": "ready", "cost": "12.00", "certificate": "SC-1"},
                )
            )
    return events


def test_the_filter_and_the_single_event_check_agree_for_every_audience() -> None:
    events = _all_events()
    for size in (1, 2):
        for audiences in itertools.combinations(list(Audience), size):
            shown = set(Event.objects.filter(event_filter(audiences)).values_list("pk", flat=True))
            checked = {e.pk for e in events if event_visible(e.kind, e.data, audiences)}
            assert shown == checked, audiences


def test_staff_see_everything_partners_all_but_the_audit_trail() -> None:
    for kind in EventKind:
        assert event_visible(kind, {}, [Audience.STAFF])
        assert event_visible(kind, {}, [Audience.PARTNER]) is (kind not in STAFF_ONLY)


def test_outsiders_never_read_a_field_that_is_not_listed_for_them() -> None:
    data = {
        "new": "with_recipient",
        "old": "in_transit",
        "handover_kind": "gift",
        "cost": "9",
        "custodian": {},
    }
    for audience in (Audience.DONOR, Audience.HOLDER, Audience.PUBLIC):
        shown = visible_data(EventKind.DEVICE_STATE_CHANGED, data, [audience])
        assert shown == {"new": "with_recipient", "old": "in_transit", "handover_kind": "gift"}
    assert visible_data(EventKind.REPAIR_RECORDED, {"cost": "9"}, [Audience.DONOR]) == {}


def test_a_donor_is_not_told_of_moves_outside_its_milestones() -> None:
    showing = OUTSIDE[EventKind.DEVICE_STATE_CHANGED][Audience.DONOR]
    assert showing.states is not None
    assert "in_refurbishment" not in showing.states
    assert not event_visible(EventKind.DEVICE_STATE_CHANGED, {"new": "in_refurbishment"}, [Audience.DONOR])
