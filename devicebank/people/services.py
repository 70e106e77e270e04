"""People services: memberships and API tokens, each change recorded as an event."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from devicebank.core.errors import DomainError
from devicebank.core.events import record_event
from devicebank.core.models import EventKind
from devicebank.people.access import forget_scope
from devicebank.people.authentication import new_token_parts
from devicebank.people.models import ApiToken, Membership, Organisation, User
from devicebank.people.roles import Role


@transaction.atomic
def membership_grant(*, user: User, organisation: Organisation, role: str, by: User | None) -> Membership:
    if role not in Role.values:
        raise DomainError(f"{role!r} is not a role.", field="role")
    membership, created = Membership.objects.get_or_create(user=user, organisation=organisation, role=role)
    if created:
        record_event(
            kind=EventKind.MEMBERSHIP_GRANTED,
            subject=membership,
            actor=by,
            data={"user_id": user.pk, "organisation_id": organisation.pk, "role": role},
        )
    forget_scope(user)
    return membership


@transaction.atomic
def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Create a token; returns the row and the secret token, which is never shown again."""
    name = name.strip()
    if not name:
        raise DomainError("Give the token a name.", field="name")
    prefix, token, key_hash = new_token_parts()
    row = ApiToken.objects.create(user=user, name=name, prefix=prefix, key_hash=key_hash)
    record_event(
        kind=EventKind.API_TOKEN_CREATED, subject=row, actor=user, data={"name": name, "prefix": prefix}
    )
    return row, token


@transaction.atomic
def api_token_revoke(*, token: ApiToken, by: User) -> ApiToken:
    locked = ApiToken.objects.select_for_update().get(pk=token.pk)
    if locked.revoked_at is None:
        locked.revoked_at = timezone.now()
        locked.save(update_fields=["revoked_at", "updated_at"])
        record_event(
            kind=EventKind.API_TOKEN_REVOKED, subject=locked, actor=by, data={"prefix": locked.prefix}
        )
    return locked
