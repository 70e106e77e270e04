"""Sign-in lockout (django-axes), with two limits instead of one.

- One email address from one address: locked after `AXES_FAILURE_LIMIT` failures (guessing one person's
  password).
- One address across every email address: locked after `DEVICEBANK_SIGN_IN_IP_FAILURE_LIMIT` failures (one
  password sprayed over many accounts). Higher, because a school or council office signs in from one address.

Both last `AXES_COOLOFF_TIME`. Axes itself compares every lockout parameter against a single limit, so the
handler scales the per-address count onto the email+address limit. A successful sign-in clears only that
email+address pair: otherwise an attacker who holds one account could wipe the count for their address by
signing into it between sprays.

Whether the email address belongs to an account plays no part: unknown and known addresses are counted and
locked alike, and the locked-out page says the same to both.
"""

from __future__ import annotations

from typing import Any

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import QuerySet, Sum

from devicebank.people.models import normalise_email
from devicebank.people.throttling import client_ip as _client_ip


def username_of(request: Any, credentials: dict[str, Any] | None) -> str | None:
    """The email address axes counts against, in the stored form, so `A@x` and `a@x` share one count."""
    raw = None
    if credentials:
        raw = credentials.get(settings.AXES_USERNAME_FORM_FIELD)
    if raw is None and request is not None:
        raw = getattr(request, "POST", {}).get(settings.AXES_USERNAME_FORM_FIELD)
    return normalise_email(str(raw)) if raw is not None else None


def client_ip(request: Any) -> str:
    """The client address, read the same way as the request throttles (people.throttling)."""
    return _client_ip(request)


class SignInLockoutHandler(AxesDatabaseHandler):
    def _recent(self, request: Any) -> QuerySet[AccessAttempt]:
        return AccessAttempt.objects.filter(attempt_time__gte=get_cool_off_threshold(request))

    @staticmethod
    def _failures(attempts: QuerySet[AccessAttempt]) -> int:
        return int(attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0)

    def get_failures(self, request: Any, credentials: dict[str, Any] | None = None) -> int:
        """Failures on the scale of AXES_FAILURE_LIMIT: at or over it when either limit is reached."""
        limit = int(settings.AXES_FAILURE_LIMIT)
        address_limit = int(settings.DEVICEBANK_SIGN_IN_IP_FAILURE_LIMIT)
        address = request.axes_ip_address
        recent = self._recent(request)
        pair = self._failures(
            recent.filter(username=get_client_username(request, credentials), ip_address=address)
        )
        from_address = self._failures(recent.filter(ip_address=address))
        # floor(n * limit / address_limit) >= limit exactly when n >= address_limit.
        return max(pair, from_address * limit // address_limit)

    def reset_user_attempts(self, request: Any, credentials: dict[str, Any] | None = None) -> int:
        count, _ = AccessAttempt.objects.filter(
            username=get_client_username(request, credentials), ip_address=request.axes_ip_address
        ).delete()
        return int(count)
