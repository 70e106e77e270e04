"""Errors services raise. Views and the API turn them into messages and 400/403 responses."""

from __future__ import annotations


class DomainError(Exception):
    """A business rule refused the request. The message is written for the person who made it."""

    code = "invalid"

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class NotPermitted(DomainError):
    code = "forbidden"


class Conflict(DomainError):
    """Someone else changed the record first (e.g. two technicians finishing the same device)."""

    code = "conflict"
