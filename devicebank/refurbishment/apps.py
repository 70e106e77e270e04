from __future__ import annotations

from django.apps import AppConfig


class RefurbishmentConfig(AppConfig):
    name = "devicebank.refurbishment"
    label = "refurbishment"
    verbose_name = "Refurbishment workbench"

    def ready(self) -> None:
        from devicebank.core.templatetags.labels import register_labels
        from devicebank.devices.guards import register_guard
        from devicebank.devices.states import DeviceState
        from devicebank.refurbishment.models import (
            CosmeticGrade,
            FinalGrade,
            ItemOutcome,
            LicenceChannel,
            OperatingSystem,
            OsTarget,
            PartKind,
            PerformanceBand,
            Recommendation,
            SecretKind,
            TpmVersion,
        )
        from devicebank.refurbishment.selectors import readiness_guard

        # devices.services.device_transition runs every registered guard before a move, inside its lock.
        register_guard(DeviceState.READY, readiness_guard)
        # Pages show these codes by name: {{ code|label:"OsTarget" }}.
        register_labels(
            OsTarget,
            OperatingSystem,
            TpmVersion,
            ItemOutcome,
            CosmeticGrade,
            FinalGrade,
            PerformanceBand,
            PartKind,
            LicenceChannel,
            SecretKind,
            Recommendation,
        )
