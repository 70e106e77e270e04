"""People services: memberships, API tokens and two-factor sign-in, each change recorded as an event.

Events carry ids and fixed values only (no names, addresses, token names or codes): the event log is
append-only and must never hold personal data or free text.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from devicebank.core.errors import DomainError
from devicebank.core.events import record_event
from devicebank.core.models import EventKind
from devicebank.people.access import forget_scope
from devicebank.people.authentication import new_token_parts
from devicebank.people.models import ApiToken, Membership, Organisation, User
from devicebank.people.roles import Role
from devicebank.people.two_factor import (
    AUTHENTICATOR_NAME,
    DEMO_TOTP_KEY,
    PENDING_NAME,
    RECOVERY_NAME,
    CodeCheck,
    Outcome,
    check_recovery_code,
    check_totp,
    classify,
    new_recovery_codes,
    normalise_code,
)


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
def membership_revoke(*, membership: Membership, by: User | None) -> bool:
    """Take a role away. Access is worked out afresh on each request, so it ends with the person's next one.

    Returns whether anything changed (revoking twice records one event)."""
    locked = Membership.objects.select_for_update().filter(pk=membership.pk).first()
    if locked is None:
        return False
    record_event(
        kind=EventKind.MEMBERSHIP_REVOKED,
        subject=locked,
        actor=by,
        data={"user_id": locked.user_id, "organisation_id": locked.organisation_id, "role": locked.role},
    )
    user = locked.user
    locked.delete()
    forget_scope(user)
    return True


@transaction.atomic
def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Create a token; returns the row and the secret token, which is never shown again."""
    name = name.strip()
    if not name:
        raise DomainError("Give the token a name.", field="name")
    prefix, token, key_hash = new_token_parts()
    row = ApiToken.objects.create(user=user, name=name, prefix=prefix, key_hash=key_hash)
    # The name is the person's own free text: it stays on the token row, not in the event.
    record_event(kind=EventKind.API_TOKEN_CREATED, subject=row, actor=user, data={"prefix": prefix})
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


def two_factor_enrolment_begin(*, user: User) -> TOTPDevice:
    """The authenticator being set up: the same one until it is confirmed, so reloading keeps the QR code."""
    pending = TOTPDevice.objects.filter(user=user, confirmed=False, name=PENDING_NAME).order_by("-id").first()
    if pending is not None:
        return pending
    return TOTPDevice.objects.create(user=user, name=PENDING_NAME, confirmed=False)


def _replace_recovery_codes(user: User) -> list[str]:
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_NAME, defaults={"confirmed": True}
    )
    StaticToken.objects.filter(device=device).delete()
    codes = new_recovery_codes()
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


@transaction.atomic
def two_factor_enrolment_confirm(*, user: User, device: TOTPDevice, code: str) -> tuple[CodeCheck, list[str]]:
    """Confirm a new authenticator with a code it shows. On success it replaces any earlier authenticator
    and a new set of recovery codes is made; the codes are returned to be shown once."""
    locked = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=user, confirmed=False)
    code = normalise_code(code)
    if classify(code) != "totp":
        return CodeCheck(Outcome.NOT_SIX_DIGITS), []
    result = check_totp(locked, code)
    if not result.accepted:
        return result, []
    TOTPDevice.objects.filter(user=user).exclude(pk=locked.pk).delete()
    locked.confirmed = True
    locked.name = AUTHENTICATOR_NAME
    locked.save(update_fields=["confirmed", "name"])
    codes = _replace_recovery_codes(user)
    record_event(kind=EventKind.TWO_FACTOR_ENROLLED, subject=user, actor=user, data={"device_id": locked.pk})
    return CodeCheck(Outcome.ACCEPTED, locked), codes


@transaction.atomic
def two_factor_verify(*, user: User, code: str, authenticator: TOTPDevice | None) -> CodeCheck:
    """Check a code at sign-in: from the authenticator app, or one of the recovery codes (used up)."""
    code = normalise_code(code)
    kind = classify(code)
    if kind == "totp" and authenticator is not None:
        locked = TOTPDevice.objects.select_for_update().get(pk=authenticator.pk, user=user)
        return check_totp(locked, code)
    if kind == "recovery":
        device = StaticDevice.objects.select_for_update().filter(user=user, name=RECOVERY_NAME).first()
        result = check_recovery_code(device, code)
        if result.accepted and device is not None:
            left = StaticToken.objects.filter(device=device).count()
            record_event(
                kind=EventKind.TWO_FACTOR_RECOVERY_CODE_USED,
                subject=user,
                actor=user,
                data={"codes_left": left},
            )
        return result
    return CodeCheck(Outcome.NOT_A_CODE)


@transaction.atomic
def two_factor_recovery_codes_regenerate(*, user: User) -> list[str]:
    """A new set of recovery codes; the old set stops working. Returned to be shown once."""
    codes = _replace_recovery_codes(user)
    record_event(kind=EventKind.TWO_FACTOR_RECOVERY_CODES_REGENERATED, subject=user, actor=user, data={})
    return codes


@transaction.atomic
def two_factor_reset(*, user: User, by: User | None) -> None:
    """Remove someone's authenticator and recovery codes (a lost phone): they set up again at next sign-in."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    record_event(kind=EventKind.TWO_FACTOR_RESET, subject=user, actor=by, data={})


@transaction.atomic
def two_factor_enrol_demo(*, user: User) -> TOTPDevice:
    """Demo only (DEBUG): an authenticator with the published demo key, so anyone can try staff pages."""
    existing = TOTPDevice.objects.filter(user=user, key=DEMO_TOTP_KEY, confirmed=True).first()
    if existing is not None:
        return existing
    device = TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, key=DEMO_TOTP_KEY, confirmed=True)
    record_event(kind=EventKind.TWO_FACTOR_ENROLLED, subject=user, actor=None, data={"device_id": device.pk})
    return device
