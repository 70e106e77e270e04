"""Pages of the refurbishment app (mounted at /refurbishment/)."""

from django.urls import path  # noqa: F401

app_name = "refurbishment"

urlpatterns: list = []  # type: ignore[type-arg]
