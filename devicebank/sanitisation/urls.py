"""Pages of the sanitisation app (mounted at /sanitisation/)."""

from django.urls import path  # noqa: F401

app_name = "sanitisation"

urlpatterns: list = []  # type: ignore[type-arg]
