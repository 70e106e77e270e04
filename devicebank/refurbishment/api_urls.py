"""API routes of the refurbishment app (mounted under /api/v1/)."""

from typing import Any

from django.urls import path  # noqa: F401

urlpatterns: list[Any] = []
