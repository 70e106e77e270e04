"""Device lifecycle: the states and the only moves allowed between them.

docs/state-diagram.md draws this map; a test checks the drawing against `TRANSITIONS`.
"""

from __future__ import annotations

from django.db import models

from devicebank.core.errors import DomainError


class DeviceState(models.TextChoices):
    PLEDGED = "pledged", "Pledged"
    RECEIVED = "received", "Received"
    SANITISED = "sanitised", "Sanitised"
    IN_REFURBISHMENT = "in_refurbishment", "In refurbishment"
    READY = "ready", "Ready"
    RESERVED = "reserved", "Reserved"
    IN_TRANSIT = "in_transit", "In transit"
    WITH_RECIPIENT = "with_recipient", "With recipient"
    RETURNED = "returned", "Returned"
    RECYCLED = "recycled", "Recycled"
    DESTROYED = "destroyed", "Destroyed"
    LOST = "lost", "Lost"
    WITHDRAWN = "withdrawn", "Withdrawn"


S = DeviceState

# From each state, the states a device may move to. Anything else is refused with a reason.
TRANSITIONS: dict[DeviceState, frozenset[DeviceState]] = {
    S.PLEDGED: frozenset({S.RECEIVED, S.WITHDRAWN, S.LOST}),
    S.RECEIVED: frozenset({S.SANITISED, S.RECYCLED, S.DESTROYED, S.LOST}),
    S.SANITISED: frozenset({S.IN_REFURBISHMENT, S.RECYCLED, S.DESTROYED, S.LOST}),
    S.IN_REFURBISHMENT: frozenset({S.READY, S.RECYCLED, S.DESTROYED, S.LOST}),
    S.READY: frozenset({S.RESERVED, S.IN_TRANSIT, S.IN_REFURBISHMENT, S.RECYCLED, S.LOST}),
    S.RESERVED: frozenset({S.READY, S.IN_TRANSIT, S.LOST}),
    S.IN_TRANSIT: frozenset({S.WITH_RECIPIENT, S.READY, S.RETURNED, S.LOST}),
    S.WITH_RECIPIENT: frozenset({S.RETURNED, S.LOST}),
    # A returned or found device may have held someone's data: it must be sanitised again before `ready`.
    S.RETURNED: frozenset({S.SANITISED, S.RECYCLED, S.DESTROYED, S.LOST}),
    S.LOST: frozenset({S.RETURNED}),
    S.RECYCLED: frozenset(),
    S.DESTROYED: frozenset(),
    S.WITHDRAWN: frozenset(),
}

TERMINAL_STATES = frozenset(state for state, targets in TRANSITIONS.items() if not targets)
# Held by the scheme and not yet promised to anyone.
IN_STOCK_STATES = frozenset({S.RECEIVED, S.SANITISED, S.IN_REFURBISHMENT, S.READY, S.RETURNED})
# Out with people: counts toward "people helped".
DISTRIBUTED_STATES = frozenset({S.WITH_RECIPIENT})
# States after which the device holds none of the donor's data.
# A device entering these states has its sanitisation evidence cleared: it must be wiped again.
RESETS_SANITISATION = frozenset({S.RECEIVED, S.RETURNED})

STATE_DESCRIPTIONS: dict[DeviceState, str] = {
    S.PLEDGED: "A donor has promised it; it has not arrived yet.",
    S.RECEIVED: "It is at a scheme site; its data has not been wiped yet.",
    S.SANITISED: "Every storage drive has sanitisation evidence (or it has none).",
    S.IN_REFURBISHMENT: "A technician is testing, repairing or imaging it.",
    S.READY: "Tested and sanitised: in stock, free to allocate.",
    S.RESERVED: "Promised to a recipient or organisation, not yet dispatched.",
    S.IN_TRANSIT: "On its way to the recipient or organisation.",
    S.WITH_RECIPIENT: "Handed over: given, sold, lent or ownership transferred.",
    S.RETURNED: "Back from a recipient (or found); must be sanitised again before reuse.",
    S.RECYCLED: "Sent to a licensed recycler (WEEE) or harvested for parts.",
    S.DESTROYED: "Physically destroyed, usually with its drives.",
    S.LOST: "Cannot be found. A found device comes back as returned.",
    S.WITHDRAWN: "The donor withdrew the pledge before it arrived.",
}


class InvalidTransition(DomainError):
    """A move the lifecycle does not allow, or one whose preconditions are not met. The message says why."""

    code = "invalid_transition"


def check_transition(current: str, target: str) -> DeviceState:
    """Return `target` as a DeviceState if the lifecycle allows current -> target, else raise."""
    try:
        source, destination = DeviceState(current), DeviceState(target)
    except ValueError as exc:
        raise InvalidTransition(f"{target!r} is not a device state.") from exc
    if source == destination:
        raise InvalidTransition(f"The device is already {destination.label.lower()}.")
    allowed = TRANSITIONS[source]
    if destination not in allowed:
        if not allowed:
            raise InvalidTransition(f"A {source.label.lower()} device cannot change state: it is final.")
        options = ", ".join(sorted(s.label.lower() for s in allowed))
        raise InvalidTransition(
            f"A {source.label.lower()} device cannot become {destination.label.lower()}; "
            f"it can become: {options}."
        )
    return destination
