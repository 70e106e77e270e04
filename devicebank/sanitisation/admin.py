from django.contrib import admin

from devicebank.core.admin import ReadOnlyAdmin
from devicebank.sanitisation.models import SanitisationOutcome


@admin.register(SanitisationOutcome)
class SanitisationOutcomeAdmin(ReadOnlyAdmin):
    list_display = ["device", "basis", "level", "recorded_by", "recorded_at"]
    list_select_related = ["device", "recorded_by"]
