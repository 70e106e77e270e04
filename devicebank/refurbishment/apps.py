from __future__ import annotations

from django.apps import AppConfig


class RefurbishmentConfig(AppConfig):
    name = "devicebank.refurbishment"
    label = "refurbishment"
    verbose_name = "Refurbishment workbench"

    def ready(self) -> None:
        from devicebank.devices.guards import register_guard
        from devicebank.devices.states import DeviceState
        from devicebank.refurbishment.selectors import readiness_guard

        # devices.services.device_transition runs every registered guard before a move, inside its lock.
        register_guard(DeviceState.READY, readiness_guard)
