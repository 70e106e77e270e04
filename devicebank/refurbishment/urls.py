"""Pages of the refurbishment app (mounted at /refurbishment/)."""

from typing import Any

from django.urls import path  # noqa: F401

app_name = "refurbishment"

urlpatterns: list[Any] = []
