"""Pages of the sanitisation app (mounted at /sanitisation/)."""

from typing import Any

from django.urls import path  # noqa: F401

app_name = "sanitisation"

urlpatterns: list[Any] = []
