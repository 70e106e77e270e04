from django.apps import AppConfig


class SanitisationConfig(AppConfig):
    name = "devicebank.sanitisation"
    label = "sanitisation"
    verbose_name = "Data sanitisation"

    def ready(self) -> None:
        from devicebank.devices.guards import register_guard
        from devicebank.devices.states import DeviceState
        from devicebank.sanitisation.guards import evidence_guard, outcome_guard

        # devices.services.device_transition runs every registered guard before a move, inside its lock.
        register_guard(DeviceState.SANITISED, outcome_guard)
        register_guard(DeviceState.READY, evidence_guard)
