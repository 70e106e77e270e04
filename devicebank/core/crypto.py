"""Secrets at rest: Fernet (AES-128-CBC with HMAC-SHA256) through `cryptography`.

Keys come from `settings.DEVICEBANK_ENCRYPTION_KEYS` (env ENCRYPTION_KEYS: comma-separated Fernet keys, newest
first). New values are encrypted with the first key; every listed key can decrypt (MultiFernet), so a key is
rotated by putting a new one in front, re-encrypting with `rotate()`, then dropping the old one.

With no keys configured (development, tests) a key is derived from SECRET_KEY with HKDF-SHA256, so secrets
still never sit in the database in clear. Changing SECRET_KEY then makes them unreadable: production sets
ENCRYPTION_KEYS.

Never log, print or put in an exception message what goes in or comes out of these functions.
"""

from __future__ import annotations

import base64
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

# Fixed salt and context: the derived key must be the same on every start for the same SECRET_KEY.
_HKDF_SALT = b"devicebank.core.crypto"
_HKDF_INFO = b"devicebank secrets at rest, fernet key v1"


class DecryptionFailed(Exception):
    """A stored value could not be decrypted with any configured key (wrong key, or tampered with)."""


def derive_key(secret: str) -> bytes:
    """A Fernet key (url-safe base64 of 32 bytes) derived from `secret` with HKDF-SHA256."""
    raw = HKDF(algorithm=hashes.SHA256(), length=32, salt=_HKDF_SALT, info=_HKDF_INFO).derive(secret.encode())
    return base64.urlsafe_b64encode(raw)


@lru_cache(maxsize=4)
def _fernet_for(keys: tuple[str, ...], secret_key: str) -> MultiFernet:
    if not keys:
        return MultiFernet([Fernet(derive_key(secret_key))])
    fernets = []
    for position, key in enumerate(keys, start=1):
        try:
            fernets.append(Fernet(key.strip().encode()))
        except ValueError as exc:  # the message must not echo the key
            raise ImproperlyConfigured(
                f"ENCRYPTION_KEYS entry {position} is not a Fernet key (32 url-safe base64-encoded bytes)."
            ) from exc
    return MultiFernet(fernets)


def _fernet() -> MultiFernet:
    keys = tuple(key for key in getattr(settings, "DEVICEBANK_ENCRYPTION_KEYS", []) or [] if key.strip())
    return _fernet_for(keys, str(settings.SECRET_KEY))


def encrypt(value: str) -> str:
    """Encrypt text with the newest key; the token is ASCII and safe to store in a text column."""
    return _fernet().encrypt(value.encode()).decode("ascii")


def decrypt(token: str) -> str:
    """Decrypt a token made by `encrypt` with any configured key; raises DecryptionFailed otherwise."""
    try:
        return _fernet().decrypt(token.encode("ascii")).decode()
    except (InvalidToken, UnicodeError) as exc:
        raise DecryptionFailed("The stored secret cannot be decrypted with the configured keys.") from exc


def rotate(token: str) -> str:
    """Re-encrypt a token under the newest key (after a new key was put first in ENCRYPTION_KEYS)."""
    try:
        return _fernet().rotate(token.encode("ascii")).decode("ascii")
    except (InvalidToken, UnicodeError) as exc:
        raise DecryptionFailed("The stored secret cannot be decrypted with the configured keys.") from exc
