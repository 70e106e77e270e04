"""Helpers shared by every app's forms."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model

from devicebank.core.errors import DomainError


def add_domain_error(form: Any, error: DomainError) -> None:
    """Show a service's refusal on the form: on its field when the form has it, else at the top."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


def user_of(request: Any) -> Any:
    """The signed-in person acting in this request (views behind LoginRequiredMixin only)."""
    user = request.user
    if not isinstance(user, get_user_model()):
        raise TypeError("user_of() needs a signed-in user")
    return user
