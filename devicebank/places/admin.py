from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from devicebank.places.models import DatasetLoad, District, LocalAuthority, Lsoa


@admin.register(LocalAuthority)
class LocalAuthorityAdmin(admin.ModelAdmin):
    list_display = ["gias_code", "name", "short_code", "ons_code"]
    search_fields = ["gias_code", "name", "ons_code"]


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "local_authority"]
    search_fields = ["code", "name"]
    list_select_related = ["local_authority"]


@admin.register(Lsoa)
class LsoaAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "district_code", "imd_rank", "imd_decile"]
    search_fields = ["code", "name"]
    list_filter = ["imd_decile"]


@admin.register(DatasetLoad)
class DatasetLoadAdmin(admin.ModelAdmin):
    """Read-only: loads are made by the commands and are the subjects of their events."""

    list_display = ["created_at", "dataset", "file_name", "rows_loaded", "rows_skipped", "loaded_by"]
    list_filter = ["dataset"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
