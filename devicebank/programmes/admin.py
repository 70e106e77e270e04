from django.contrib import admin

from devicebank.programmes.models import Programme


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "owner", "asset_tag_prefix", "starts_on", "ends_on"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["partners", "funders"]
    autocomplete_fields = ["owner"]
