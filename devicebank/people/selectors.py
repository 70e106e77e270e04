"""People reads."""

from __future__ import annotations

from django.db.models import QuerySet
from django.db.models.functions import Lower

from devicebank.people.models import Membership, Organisation, User, normalise_email


def memberships_in(grantable: dict[int, frozenset[str]]) -> list[Membership]:
    """The roles held at these organisations that the reader may manage (people.permissions.roles_grantable)."""
    if not grantable:
        return []
    rows = (
        Membership.objects.filter(organisation_id__in=grantable)
        .select_related("user", "organisation")
        .order_by("organisation__name", "role", "user__email")
    )
    return [m for m in rows if m.role in grantable[m.organisation_id]]


def organisations_in(grantable: dict[int, frozenset[str]]) -> QuerySet[Organisation]:
    return Organisation.objects.filter(pk__in=grantable).order_by("name")


def user_by_email(email: str) -> User | None:
    return User.objects.alias(email_lower=Lower("email")).filter(email_lower=normalise_email(email)).first()
