"""Django admin: platform admins only, and never a way around the services.

Events are read-only; devices can be looked at but their state and identity change only through services.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from devicebank.core.models import Event
from devicebank.people.access import scope_for


def _platform_admin_only(request: HttpRequest) -> bool:
    user = request.user
    return bool(user.is_active and user.is_authenticated and scope_for(user).is_platform_admin)


admin.site.has_permission = _platform_admin_only  # type: ignore[method-assign]


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
