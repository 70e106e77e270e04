"""Who is shown which events, and which of their fields: the one place event visibility is defined.

Every kind of event has an audience. The programme's staff (its managers, platform admins) see every event with
every field, who did it and its note. Partner organisations (technicians, warehouse staff) see the same, except
the audit trail of who viewed or exported what. Everyone else sees only the milestones listed in `OUTSIDE`, with
only the fields listed there, never a person or a note:

- the donor: received, sanitised (with the certificate), ready, handed over (kind and area), recycled;
- the holding organisation (a school, a charity): the same, plus in transit and returned;
- the public, which is how a funder reads a device of a programme it funds: the same milestones as the donor,
  without the certificate.

Which audiences a reader belongs to for one record is an access decision, made from their access scope
(`people.access.AccessScope.audiences_for`); the timeline, the API and exports filter with `event_filter` and
`visible_data` here. Core imports no app, so states are written as their stored values.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import Q

from devicebank.core.models import EventKind


class Audience(models.TextChoices):
    STAFF = "staff", "Staff of the programme"
    PARTNER = "partner", "Partner organisations"
    DONOR = "donor", "The donor"
    HOLDER = "holder", "The holding organisation"
    PUBLIC = "public", "The public"


OPERATIONAL = frozenset({Audience.STAFF, Audience.PARTNER})

# The audit trail: who revealed, exported or erased what. Programme staff only.
STAFF_ONLY = frozenset(
    {
        EventKind.SECRET_VIEWED,
        EventKind.DATA_EXPORTED,
        EventKind.NOTE_ERASED,
    }
)


@dataclass(frozen=True)
class Showing:
    """What an audience outside the programme is shown of one kind of event.

    Attributes:
        fields: the keys of `Event.data` it may read (the rest are dropped).
        states: for events that move a device (`data["new"]` is a state), only moves into these states.
    """

    fields: tuple[str, ...] = ()
    states: frozenset[str] | None = None


DONOR_MILESTONES = frozenset({"received", "sanitised", "ready", "with_recipient", "recycled"})
HOLDER_MILESTONES = DONOR_MILESTONES | {"in_transit", "returned"}
MOVE_FIELDS = ("old", "new", "handover_kind")

OUTSIDE: Mapping[str, Mapping[Audience, Showing]] = {
    EventKind.DEVICE_REGISTERED: {
        Audience.DONOR: Showing(("new",), DONOR_MILESTONES),
        Audience.HOLDER: Showing(("new",), HOLDER_MILESTONES),
        Audience.PUBLIC: Showing(("new",), DONOR_MILESTONES),
    },
    EventKind.DEVICE_STATE_CHANGED: {
        Audience.DONOR: Showing(MOVE_FIELDS, DONOR_MILESTONES),
        Audience.HOLDER: Showing(MOVE_FIELDS, HOLDER_MILESTONES),
        Audience.PUBLIC: Showing(MOVE_FIELDS, DONOR_MILESTONES),
    },
    EventKind.CERTIFICATE_ISSUED: {
        Audience.DONOR: Showing(("certificate",)),
        Audience.HOLDER: Showing(("certificate",)),
    },
    EventKind.DEVICE_RECYCLED: {
        Audience.DONOR: Showing(("weight_kg", "handed_over_on")),
        Audience.HOLDER: Showing(),
        Audience.PUBLIC: Showing(),
    },
}


def is_operational(audiences: Iterable[str]) -> bool:
    """Whether these audiences see people (who acted) and notes."""
    return bool(OPERATIONAL.intersection(audiences))


def event_filter(audiences: Iterable[str]) -> Q:
    """The events (rows of core.Event) readers in these audiences may see; `Q(pk__in=[])` when none."""
    audiences = frozenset(audiences)
    if Audience.STAFF in audiences:
        return Q()
    visible = Q(pk__in=[])
    if Audience.PARTNER in audiences:
        visible |= ~Q(kind__in=STAFF_ONLY)
    for kind, showings in OUTSIDE.items():
        for audience, showing in showings.items():
            if audience not in audiences:
                continue
            shown = Q(kind=kind)
            if showing.states is not None:
                shown &= Q(data__new__in=sorted(showing.states))
            visible |= shown
    return visible


def event_visible(kind: str, data: Mapping[str, Any], audiences: Iterable[str]) -> bool:
    """`event_filter` for one event already read (exports that read events by other paths)."""
    return _showings(kind, data, frozenset(audiences)) is not None


def visible_data(kind: str, data: Mapping[str, Any], audiences: Iterable[str]) -> dict[str, Any]:
    """The part of an event's data these audiences may read (nothing, if they may not see the event)."""
    fields = _showings(kind, data, frozenset(audiences))
    if fields is None:
        return {}
    if fields == "all":
        return dict(data)
    return {key: data[key] for key in fields if key in data}


def _showings(kind: str, data: Mapping[str, Any], audiences: frozenset[str]) -> set[str] | str | None:
    """The fields shown ("all" for operational readers), or None when the event is not for them."""
    if Audience.STAFF in audiences or (Audience.PARTNER in audiences and kind not in STAFF_ONLY):
        return "all"
    fields: set[str] | None = None
    for audience, showing in OUTSIDE.get(kind, {}).items():
        if audience not in audiences:
            continue
        if showing.states is not None and data.get("new") not in showing.states:
            continue
        fields = (fields or set()) | set(showing.fields)
    return fields
