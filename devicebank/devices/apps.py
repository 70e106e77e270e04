from django.apps import AppConfig


class DevicesConfig(AppConfig):
    name = "devicebank.devices"
    label = "devices"
    verbose_name = "Devices and their lifecycle"

    def ready(self) -> None:
        from devicebank.core.templatetags.labels import register_labels
        from devicebank.devices.models import DeviceType, StorageKind
        from devicebank.devices.states import DeviceState

        # Pages show these codes by name: {{ code|label:"StorageKind" }}.
        register_labels(DeviceType, StorageKind, DeviceState)
