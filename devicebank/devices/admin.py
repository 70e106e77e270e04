from django.contrib import admin

from devicebank.core.admin import ReadOnlyAdmin
from devicebank.devices.models import Device


@admin.register(Device)
class DeviceAdmin(ReadOnlyAdmin):
    """Look, don't touch: devices change only through services, which check rules and write events."""

    list_display = [
        "asset_tag",
        "programme",
        "device_type",
        "manufacturer",
        "model",
        "serial_number",
        "state",
    ]
    list_filter = ["state", "device_type", "programme"]
    search_fields = ["asset_tag", "serial_number"]
    list_select_related = ["programme"]
    show_full_result_count = False
