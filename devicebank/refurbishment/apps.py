from django.apps import AppConfig


class RefurbishmentConfig(AppConfig):
    name = "devicebank.refurbishment"
    label = "refurbishment"
    verbose_name = "Refurbishment workbench"
