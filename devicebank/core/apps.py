from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "devicebank.core"
    label = "core"
    verbose_name = "Core: events and shared parts"
