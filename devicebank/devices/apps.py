from django.apps import AppConfig


class DevicesConfig(AppConfig):
    name = "devicebank.devices"
    label = "devices"
    verbose_name = "Devices and their lifecycle"
