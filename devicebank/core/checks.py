"""devicebank's own system checks (`devicebank check --deploy`)."""

from __future__ import annotations

from typing import Any

from cryptography.fernet import Fernet
from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, register

GENERATE_KEY = 'python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"'


@register(Tags.security, deploy=True)
def encryption_keys_configured(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """Production keeps secrets at rest under keys of its own, not under one derived from SECRET_KEY.

    A derived key ties every stored secret to SECRET_KEY: rotating SECRET_KEY (as after a leak) would make
    them unreadable, and a leaked SECRET_KEY would also decrypt them. Development may derive; production may
    not.
    """
    if settings.DEBUG:
        return []
    keys = [key.strip() for key in getattr(settings, "DEVICEBANK_ENCRYPTION_KEYS", []) or [] if key.strip()]
    if not keys:
        return [
            Error(
                "ENCRYPTION_KEYS is empty: secrets at rest would be encrypted with a key derived from "
                "SECRET_KEY.",
                hint=f"Set ENCRYPTION_KEYS (or ENCRYPTION_KEYS_FILE) to a Fernet key made with: {GENERATE_KEY}",
                id="devicebank.E001",
            )
        ]
    errors: list[CheckMessage] = []
    for position, key in enumerate(keys, start=1):
        try:
            Fernet(key.encode())
        except ValueError:  # the message must not echo the key
            errors.append(
                Error(
                    f"ENCRYPTION_KEYS entry {position} is not a Fernet key (32 url-safe base64-encoded bytes).",
                    hint=f"Make one with: {GENERATE_KEY}",
                    id="devicebank.E002",
                )
            )
    return errors
