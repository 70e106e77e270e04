"""Reading programmes, organisations and locations within a user's scope."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from devicebank.people.access import scope_for
from devicebank.people.models import Location, Organisation
from devicebank.programmes.models import Programme


def programme_list(*, user: Any) -> QuerySet[Programme]:
    return (
        Programme.objects.filter(scope_for(user).programme_filter()).select_related("owner").order_by("name")
    )


def programme_get(*, user: Any, slug: str) -> Programme:
    programme = programme_list(user=user).filter(slug=slug).first()
    if programme is None:
        raise Http404("No such programme.")
    return programme


def organisation_list(*, user: Any) -> QuerySet[Organisation]:
    return Organisation.objects.filter(scope_for(user).organisation_filter()).distinct().order_by("name")


def location_list(*, user: Any) -> QuerySet[Location]:
    """Locations of the organisations the user can see (where devices can be received or moved to)."""
    organisations = organisation_list(user=user).values("id")
    return Location.objects.filter(organisation_id__in=organisations).select_related("organisation")


def programme_organisations(*, programme_id: int) -> QuerySet[Organisation]:
    """The organisations a programme works with: its owner, its partners, and the organisations under either
    (a trust's or a council's schools). Devices are held only by these (devices.services), and the programme's
    staff see their names."""
    direct = Organisation.objects.filter(
        Q(owned_programmes=programme_id) | Q(partner_programmes=programme_id)
    ).values("id")
    return Organisation.objects.filter(Q(pk__in=direct) | Q(parent_id__in=direct))
