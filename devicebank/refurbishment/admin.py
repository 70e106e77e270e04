"""Django admin for refurbishment: look, don't touch (every change goes through the services and leaves an
event). Secrets show their kind, device and date only: never the ciphertext, the hint or the value."""

from __future__ import annotations

from django.contrib import admin

from devicebank.core.admin import ReadOnlyAdmin
from devicebank.refurbishment.models import (
    ChromeOSFlexModel,
    DeviceSecret,
    Grade,
    OsInstall,
    Part,
    RecyclingRecord,
    RefurbishmentDecision,
    RepairJob,
    Specification,
    TestRun,
)


@admin.register(Specification)
class SpecificationAdmin(ReadOnlyAdmin):
    list_display = [
        "programme",
        "device_type",
        "min_ram_bytes",
        "min_storage_bytes",
        "working_value",
        "updated_at",
    ]
    list_select_related = ["programme"]


@admin.register(TestRun)
class TestRunAdmin(ReadOnlyAdmin):
    __test__ = False
    list_display = ["device", "recorded_at", "recorded_by", "battery_health_percent", "tpm_version"]
    list_select_related = ["device", "recorded_by"]


@admin.register(Grade)
class GradeAdmin(ReadOnlyAdmin):
    list_display = ["device", "final", "cosmetic", "performance", "functional_pass", "recorded_at"]
    list_select_related = ["device"]


@admin.register(OsInstall)
class OsInstallAdmin(ReadOnlyAdmin):
    list_display = ["device", "os", "image_name", "image_version", "licence_channel", "recorded_at"]
    list_select_related = ["device"]


@admin.register(DeviceSecret)
class DeviceSecretAdmin(ReadOnlyAdmin):
    # `fields` is explicit so that no future field (and never `ciphertext` or `hint`) appears by default.
    list_display = ["device", "kind", "recorded_at", "recorded_by"]
    fields = ["device", "kind", "recorded_at", "recorded_by"]
    readonly_fields = ["device", "kind", "recorded_at", "recorded_by"]
    list_select_related = ["device", "recorded_by"]


@admin.register(Part)
class PartAdmin(ReadOnlyAdmin):
    list_display = ["description", "kind", "programme", "quantity"]
    list_filter = ["kind", "programme"]
    list_select_related = ["programme"]


@admin.register(RepairJob)
class RepairJobAdmin(ReadOnlyAdmin):
    list_display = ["device", "fault", "minutes", "cost", "recorded_at"]
    list_select_related = ["device"]


@admin.register(RefurbishmentDecision)
class RefurbishmentDecisionAdmin(ReadOnlyAdmin):
    list_display = ["device", "decision", "recommendation", "estimated_cost", "recorded_at"]
    list_select_related = ["device"]


@admin.register(RecyclingRecord)
class RecyclingRecordAdmin(ReadOnlyAdmin):
    list_display = ["device", "recycler", "consignment_note", "weight_kg", "handed_over_on"]
    list_select_related = ["device"]


@admin.register(ChromeOSFlexModel)
class ChromeOSFlexModelAdmin(ReadOnlyAdmin):
    list_display = ["name", "status", "end_of_support_year"]
    search_fields = ["name"]
