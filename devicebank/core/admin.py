"""Django admin: never a way around the services.

Events are read-only; devices can be looked at but their state and identity change only through services.
Who may use the admin at all (platform admins only) is an access rule, so people/admin.py sets it.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from devicebank.core.models import Event


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    list_display = ["occurred_at", "kind", "subject_type", "subject_id", "actor", "reason"]
    list_filter = ["kind", "subject_type"]
    search_fields = ["subject_id", "reason"]
    date_hierarchy = "occurred_at"
    list_select_related = ["actor"]
