from django.apps import AppConfig


class ImpactConfig(AppConfig):
    name = "devicebank.impact"
    label = "impact"
    verbose_name = "Impact reporting"
