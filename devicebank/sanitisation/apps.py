from django.apps import AppConfig


class SanitisationConfig(AppConfig):
    name = "devicebank.sanitisation"
    label = "sanitisation"
    verbose_name = "Data sanitisation"

    def ready(self) -> None:
        from devicebank.core.jobs import register_job
        from devicebank.devices.guards import register_guard
        from devicebank.devices.states import DeviceState
        from devicebank.sanitisation.guards import evidence_guard, outcome_guard
        from devicebank.sanitisation.models import CertificateBatch

        # devices.services.device_transition runs every registered guard before a move, inside its lock.
        register_guard(DeviceState.SANITISED, outcome_guard)
        register_guard(DeviceState.READY, evidence_guard)
        # core.jobs ends a donation's certificate pack as failed, whatever it raises, and sweeps stuck ones.
        S = CertificateBatch.Status
        register_job(
            CertificateBatch,
            waiting=[S.QUEUED],
            running=[S.RUNNING],
            failed=S.FAILED,
            label="certificate pack",
        )
