from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from devicebank.core.forms import user_of
from devicebank.programmes.models import Programme
from devicebank.programmes.services import programme_set_funders, programme_set_partners


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "owner", "asset_tag_prefix", "starts_on", "ends_on"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["partners", "funders"]
    autocomplete_fields = ["owner"]

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        """Partners and funders decide who sees the programme: change them through the services (one event
        per organisation added or removed), not by saving the form's lists directly."""
        partners = form.cleaned_data.pop("partners", None)
        funders = form.cleaned_data.pop("funders", None)
        super().save_related(request, form, formsets, change)
        programme = form.instance
        if partners is not None:
            programme_set_partners(programme=programme, organisations=partners, by=user_of(request))
        if funders is not None:
            programme_set_funders(programme=programme, organisations=funders, by=user_of(request))

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # A programme owns devices and events; deleting one would also drop its partners without a word.
        return False
