from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "devicebank.core"
    label = "core"
    verbose_name = "Core: events and shared parts"

    def ready(self) -> None:
        from devicebank.core import checks  # noqa: F401 - registers the system checks
