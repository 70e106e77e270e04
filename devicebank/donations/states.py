"""Donation (batch) lifecycle: pledged -> collection arranged -> collected -> received, or cancelled."""

from __future__ import annotations

from django.db import models

from devicebank.core.errors import DomainError


class DonationState(models.TextChoices):
    PLEDGED = "pledged", "Pledged"
    COLLECTION_ARRANGED = "collection_arranged", "Collection arranged"
    COLLECTED = "collected", "Collected"
    RECEIVED = "received", "Received"
    CANCELLED = "cancelled", "Cancelled"


D = DonationState
TRANSITIONS: dict[DonationState, frozenset[DonationState]] = {
    # A small donor drops devices at a drop point: pledged -> received with no collection.
    D.PLEDGED: frozenset({D.COLLECTION_ARRANGED, D.RECEIVED, D.CANCELLED}),
    D.COLLECTION_ARRANGED: frozenset({D.COLLECTED, D.PLEDGED, D.CANCELLED}),
    D.COLLECTED: frozenset({D.RECEIVED}),
    D.RECEIVED: frozenset(),
    D.CANCELLED: frozenset(),
}


class InvalidDonationTransition(DomainError):
    code = "invalid_transition"


def check_donation_transition(current: str, target: str) -> DonationState:
    try:
        source, destination = DonationState(current), DonationState(target)
    except ValueError as exc:
        raise InvalidDonationTransition(f"{target!r} is not a donation state.") from exc
    if destination not in TRANSITIONS[source]:
        allowed = ", ".join(sorted(s.label.lower() for s in TRANSITIONS[source])) or "nothing (it is final)"
        raise InvalidDonationTransition(
            f"A {source.label.lower()} donation cannot become {destination.label.lower()}; it can become: {allowed}."
        )
    return destination
