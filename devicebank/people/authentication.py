"""API token authentication: `Authorization: Bearer dbk_<prefix>_<secret>`.

Only a SHA-256 of the token is stored, so a database leak does not leak working tokens.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Any

from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from devicebank.people.models import ApiToken, User

TOKEN_PREFIX = "dbk"  # noqa: S105 - a public marker, not a secret


def hash_token(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def new_token_parts() -> tuple[str, str, str]:
    """(prefix, full token, hash). The prefix identifies the row; the token is shown to the user once."""
    prefix = secrets.token_hex(4)
    secret = secrets.token_urlsafe(32)
    token = f"{TOKEN_PREFIX}_{prefix}_{secret}"
    return prefix, token, hash_token(token)


class ApiTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request: Any) -> tuple[User, ApiToken] | None:
        header = authentication.get_authorization_header(request).decode("latin-1")
        if not header:
            return None
        parts = header.split()
        if parts[0] not in (self.keyword, "Token"):
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed("Send the token as: Authorization: Bearer <token>.")
        token = parts[1]
        pieces = token.split("_", 2)
        if len(pieces) != 3 or pieces[0] != TOKEN_PREFIX:
            raise exceptions.AuthenticationFailed("That is not a devicebank API token.")
        row = (
            ApiToken.objects.select_related("user").filter(prefix=pieces[1], revoked_at__isnull=True).first()
        )
        if row is None or not hmac.compare_digest(row.key_hash, hash_token(token)):
            raise exceptions.AuthenticationFailed("Unknown or revoked API token.")
        if not row.user.is_active:
            raise exceptions.AuthenticationFailed("This account is disabled.")
        now = timezone.now()
        if row.last_used_at is None or (now - row.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
        return row.user, row

    def authenticate_header(self, request: Any) -> str:
        return self.keyword


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """Describes bearer tokens in the OpenAPI schema."""

    target_class = "devicebank.people.authentication.ApiTokenAuthentication"
    name = "apiToken"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {"type": "http", "scheme": "bearer", "bearerFormat": "dbk_<prefix>_<secret>"}
