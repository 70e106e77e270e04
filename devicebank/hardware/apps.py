from django.apps import AppConfig


class HardwareConfig(AppConfig):
    name = "devicebank.hardware"
    label = "hardware"
    verbose_name = "Hardware reports (what a machine says about itself)"
