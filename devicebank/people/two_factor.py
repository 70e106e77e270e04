"""Two-factor sign-in: TOTP authenticator apps and one-time recovery codes (django-otp).

Who must use it: platform admins, programme managers and technicians (they can change custody, sanitisation
evidence and access), and anyone with Django admin rights. Anyone else may turn it on, and once they have, it is
asked for at every sign-in.

How a session gets there: the password step signs the person in, then `SecondFactorMiddleware` lets that
session reach only the code step (when an authenticator is set up) or the set-up page (when their role needs one
and none is), plus sign-out and the public pages, until a code is accepted (`django_otp.login` marks the
session). API bearer tokens are not asked for a code: a token is created by a person who signed in fully, is
shown once, is stored hashed, and can be revoked; scripts cannot type codes.

Codes: 6 digits from the app, accepted one step (30 s) either side of the server's clock, each at most once; a
code from an earlier step than the last one accepted, or the same one again, is refused as used. Wrong codes
slow further tries down (django-otp's throttling: 1 s, 2 s, 4 s, ...). Recovery codes are 10 single-use codes,
shown once when made; a person can make a new set, which voids the old one.

The demo (`make run`, DEBUG only) gives its staff users an authenticator with a published key (DEMO_TOTP_KEY),
so anyone can try the app; `devicebank demo-code` prints the current code. Without DEBUG that key is never
accepted: a database seeded in development and then served in production makes those users set up their own.
"""

from __future__ import annotations

import re
import time
from base64 import b32encode
from dataclasses import dataclass
from enum import Enum
from typing import Any

import segno
from django.conf import settings
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from devicebank.people.access import scope_for
from devicebank.people.models import User
from devicebank.people.roles import Role

SECOND_FACTOR_ROLES = frozenset({Role.PLATFORM_ADMIN, Role.PROGRAMME_MANAGER, Role.TECHNICIAN})
AUTHENTICATOR_NAME = "Authenticator app"
PENDING_NAME = "Authenticator app (not yet confirmed)"
RECOVERY_NAME = "Recovery codes"
RECOVERY_CODE_COUNT = 10
# Published with the demo (README): 20 bytes, hex, as django-otp stores keys. Refused unless DEBUG.
DEMO_TOTP_KEY = "6465766963656261 6e6b2d64656d6f2d746f7470".replace(" ", "")

_DIGITS = re.compile(r"^\d{6}$")
_RECOVERY = re.compile(r"^[a-z2-7]{8}$")


def needs_second_factor(user: Any) -> bool:
    """Whether this person may not use devicebank without a second factor."""
    if user is None or not user.is_authenticated:
        return False
    if user.is_superuser or user.is_staff:
        return True
    return bool(scope_for(user).roles & SECOND_FACTOR_ROLES)


def session_verified(user: Any) -> bool:
    """Whether this request's person has entered a code in this session (django_otp's OTPMiddleware)."""
    check = getattr(user, "is_verified", None)
    return bool(check()) if callable(check) else False


def _usable(devices: Any) -> Any:
    # The demo key is published: outside development it opens nothing.
    return devices if settings.DEBUG else devices.exclude(key=DEMO_TOTP_KEY)


def authenticator_for(user: Any) -> TOTPDevice | None:
    """The person's confirmed authenticator app, if they have set one up."""
    if user is None or not user.is_authenticated:
        return None
    devices = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("-id")
    return _usable(devices).first()


def recovery_device_for(user: User) -> StaticDevice | None:
    return StaticDevice.objects.filter(user=user, name=RECOVERY_NAME).first()


def recovery_codes_left(user: User) -> int:
    device = recovery_device_for(user)
    return StaticToken.objects.filter(device=device).count() if device else 0


def new_recovery_codes() -> list[str]:
    return [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]


def format_key(device: TOTPDevice) -> str:
    """The secret as a person types it into an app: base32 in groups of four."""
    text = b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def qr_data_uri(device: TOTPDevice) -> str:
    """An SVG QR code of the otpauth:// address, inline (our CSP allows data: images, nothing from elsewhere)."""
    return str(segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=4))


def current_code(key_hex: str, *, at: float | None = None) -> str:
    """The 6-digit code an app shows for this key now (or at `at`): for the demo and for tests."""
    totp = TOTP(bytes.fromhex(key_hex))
    totp.time = time.time() if at is None else at
    return f"{totp.token():06d}"


class Outcome(Enum):
    ACCEPTED = "accepted"
    RECOVERY_CODE_USED = "recovery_code_used"
    WRONG = "wrong"  # wrong, or from outside the accepted window (late or early)
    USED_BEFORE = "used_before"  # replayed, or older than a code already accepted
    WAIT = "wait"  # throttled after wrong codes
    NOT_A_CODE = "not_a_code"
    NOT_SIX_DIGITS = "not_six_digits"  # setting up: only the app's code will do


@dataclass(frozen=True)
class CodeCheck:
    outcome: Outcome
    device: TOTPDevice | StaticDevice | None = None
    wait_seconds: int = 0

    @property
    def accepted(self) -> bool:
        return self.outcome in (Outcome.ACCEPTED, Outcome.RECOVERY_CODE_USED)

    @property
    def message(self) -> str:
        """What to tell the person. Never says more than they can already know after the password step."""
        return {
            Outcome.ACCEPTED: "",
            Outcome.RECOVERY_CODE_USED: "",
            Outcome.WRONG: "The code is wrong or has expired. Enter the code your authenticator app shows now",
            Outcome.USED_BEFORE: "That code has already been used. Wait for your authenticator app to show a new "
            "code, then enter it",
            Outcome.WAIT: f"Too many wrong codes. Wait {self.wait_seconds} seconds, then try again",
            Outcome.NOT_A_CODE: "Enter the 6-digit code from your authenticator app, or one of your recovery "
            "codes",
            Outcome.NOT_SIX_DIGITS: "Enter the 6 digits your authenticator app shows, like 123456",
        }[self.outcome]


def normalise_code(raw: str) -> str:
    return re.sub(r"[\s-]", "", raw or "").lower()


def _wait(device: TOTPDevice | StaticDevice) -> int | None:
    allowed, info = device.verify_is_allowed()
    if allowed:
        return None
    until = (info or {}).get("locked_until")
    seconds = (until - timezone.now()).total_seconds() if until else 1
    return max(1, int(seconds + 0.999))


def _used_before(device: TOTPDevice, token: int) -> bool:
    """Whether `token` is a code from the accepted window that is not newer than the last one accepted."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    return bool(totp.verify(token, device.tolerance)) and totp.t() <= device.last_t


def check_totp(device: TOTPDevice, code: str) -> CodeCheck:
    """Check a 6-digit code against a (locked) authenticator; records the try on the device."""
    wait = _wait(device)
    if wait is not None:
        return CodeCheck(Outcome.WAIT, device, wait)
    if device.verify_token(code):
        return CodeCheck(Outcome.ACCEPTED, device)
    if _used_before(device, int(code)):
        return CodeCheck(Outcome.USED_BEFORE, device)
    return CodeCheck(Outcome.WRONG, device)


def check_recovery_code(device: StaticDevice | None, code: str) -> CodeCheck:
    if device is None:
        return CodeCheck(Outcome.WRONG)
    wait = _wait(device)
    if wait is not None:
        return CodeCheck(Outcome.WAIT, device, wait)
    if device.verify_token(code):
        return CodeCheck(Outcome.RECOVERY_CODE_USED, device)
    return CodeCheck(Outcome.WRONG, device)


def classify(code: str) -> str | None:
    """'totp', 'recovery' or None for something that is neither."""
    if _DIGITS.match(code):
        return "totp"
    if _RECOVERY.match(code):
        return "recovery"
    return None
