"""Django admin: never a way around the services.

Events are read-only; devices can be looked at but their state and identity change only through services.
Who may use the admin at all (platform admins only) is an access rule, so people/admin.py sets it.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from devicebank.core.models import Event, Note
from devicebank.core.notes import note_erase


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    list_display = ["occurred_at", "kind", "subject_type", "subject_id", "actor"]
    list_filter = ["kind", "subject_type"]
    search_fields = ["subject_id"]
    date_hierarchy = "occurred_at"
    list_select_related = ["actor"]


@admin.register(Note)
class NoteAdmin(ReadOnlyAdmin):
    """The words kept with events. Read-only, except erasing (an erasure request): the text goes for good."""

    list_display = ["event", "text", "erased_at"]
    search_fields = ["text"]
    list_select_related = ["event"]
    actions = ["erase"]

    @admin.action(description="Erase the text of the selected notes (cannot be undone)")
    def erase(self, request: HttpRequest, queryset: QuerySet[Note]) -> None:
        for note in queryset:
            note_erase(note=note, by=request.user)  # type: ignore[arg-type]
        messages.success(request, f"{queryset.count()} notes erased.")
