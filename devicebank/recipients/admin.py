from django.contrib import admin

from devicebank.recipients.models import ResponsibleBody, School


@admin.register(School)
class SchoolAdmin(admin.ModelAdmin):
    """Read here, change through a GIAS import: the import would overwrite hand edits anyway."""

    list_display = [
        "urn",
        "organisation",
        "local_authority",
        "type_name",
        "phase",
        "is_open",
        "is_independent",
    ]
    list_filter = ["is_open", "is_independent", "phase"]
    search_fields = ["=urn", "organisation__name"]
    list_select_related = ["organisation", "local_authority"]
    readonly_fields = [f.name for f in School._meta.fields]


@admin.register(ResponsibleBody)
class ResponsibleBodyAdmin(admin.ModelAdmin):
    list_display = ["organisation", "kind", "local_authority", "trust_code"]
    list_filter = ["kind"]
    search_fields = ["organisation__name", "trust_code"]
    list_select_related = ["organisation", "local_authority"]
