from django.apps import AppConfig


class SanitisationConfig(AppConfig):
    name = "devicebank.sanitisation"
    label = "sanitisation"
    verbose_name = "Data sanitisation"
