"""Programme services: asset numbers, and who works in (partners) or funds (funders) a programme.

Partner and funder changes decide who sees what (people.access), so each goes through a service and leaves an
event with ids only.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import F

from devicebank.core.errors import DomainError
from devicebank.core.events import record_event
from devicebank.core.models import EventKind
from devicebank.people.models import Organisation
from devicebank.programmes.models import Programme

if TYPE_CHECKING:
    from devicebank.people.models import User


def format_asset_tag(prefix: str, number: int) -> str:
    """BNT-000042: short, unambiguous on a label, sortable within a programme."""
    return f"{prefix}-{number:06d}"


@transaction.atomic
def programme_allocate_asset_numbers(*, programme: Programme, count: int) -> range:
    """Reserve `count` consecutive asset numbers; safe under concurrency because the row is locked."""
    if count < 1:
        raise ValueError("count must be at least 1")
    locked = Programme.objects.select_for_update().only("id", "next_asset_number").get(pk=programme.pk)
    first = locked.next_asset_number
    Programme.objects.filter(pk=programme.pk).update(next_asset_number=F("next_asset_number") + count)
    return range(first, first + count)


def _link_event(kind: EventKind, programme: Programme, organisation: Organisation, by: User | None) -> None:
    # Ids only: which organisation joined or left is all the event needs (names live on the rows).
    record_event(
        kind=kind,
        subject=programme,
        actor=by,
        programme_id=programme.pk,
        data={"organisation_id": organisation.pk},
    )


@transaction.atomic
def programme_partner_add(*, programme: Programme, organisation: Organisation, by: User | None) -> bool:
    """Make an organisation a delivery partner: its operational staff then see the programme's devices.

    Returns whether anything changed (adding a partner twice records one event)."""
    locked = Programme.objects.select_for_update().get(pk=programme.pk)
    if locked.partners.filter(pk=organisation.pk).exists():
        return False
    if organisation.pk == locked.owner_id:
        raise DomainError("The programme's owner is not also a partner.", field="partners")
    locked.partners.add(organisation)
    _link_event(EventKind.PROGRAMME_PARTNER_ADDED, locked, organisation, by)
    return True


@transaction.atomic
def programme_partner_remove(*, programme: Programme, organisation: Organisation, by: User | None) -> bool:
    """Stop an organisation being a partner: its staff lose sight of the programme from their next request."""
    locked = Programme.objects.select_for_update().get(pk=programme.pk)
    if not locked.partners.filter(pk=organisation.pk).exists():
        return False
    locked.partners.remove(organisation)
    _link_event(EventKind.PROGRAMME_PARTNER_REMOVED, locked, organisation, by)
    return True


@transaction.atomic
def programme_funder_add(*, programme: Programme, organisation: Organisation, by: User | None) -> bool:
    """Make an organisation a funder: its funder staff then see the programme's aggregate figures."""
    locked = Programme.objects.select_for_update().get(pk=programme.pk)
    if locked.funders.filter(pk=organisation.pk).exists():
        return False
    locked.funders.add(organisation)
    _link_event(EventKind.PROGRAMME_FUNDER_ADDED, locked, organisation, by)
    return True


@transaction.atomic
def programme_funder_remove(*, programme: Programme, organisation: Organisation, by: User | None) -> bool:
    locked = Programme.objects.select_for_update().get(pk=programme.pk)
    if not locked.funders.filter(pk=organisation.pk).exists():
        return False
    locked.funders.remove(organisation)
    _link_event(EventKind.PROGRAMME_FUNDER_REMOVED, locked, organisation, by)
    return True


@transaction.atomic
def programme_set_partners(
    *, programme: Programme, organisations: Iterable[Organisation], by: User | None
) -> None:
    """Make the partners exactly these (the admin's list): one event per organisation added or removed."""
    wanted = {org.pk: org for org in organisations}
    current = {org.pk: org for org in programme.partners.all()}
    for pk in sorted(current.keys() - wanted.keys()):
        programme_partner_remove(programme=programme, organisation=current[pk], by=by)
    for pk in sorted(wanted.keys() - current.keys()):
        programme_partner_add(programme=programme, organisation=wanted[pk], by=by)


@transaction.atomic
def programme_set_funders(
    *, programme: Programme, organisations: Iterable[Organisation], by: User | None
) -> None:
    """Make the funders exactly these: one event per organisation added or removed."""
    wanted = {org.pk: org for org in organisations}
    current = {org.pk: org for org in programme.funders.all()}
    for pk in sorted(current.keys() - wanted.keys()):
        programme_funder_remove(programme=programme, organisation=current[pk], by=by)
    for pk in sorted(wanted.keys() - current.keys()):
        programme_funder_add(programme=programme, organisation=wanted[pk], by=by)
