from django.apps import AppConfig


class SanitisationConfig(AppConfig):
    name = "devicebank.sanitisation"
    label = "sanitisation"
    verbose_name = "Data sanitisation"

    def ready(self) -> None:
        from devicebank.core.evidence import register_evidence
        from devicebank.core.jobs import register_job
        from devicebank.core.templatetags.labels import register_labels
        from devicebank.devices.guards import register_guard
        from devicebank.devices.states import DeviceState
        from devicebank.sanitisation.guards import evidence_guard, outcome_guard
        from devicebank.sanitisation.models import (
            Certificate,
            CertificateBatch,
            DestructionMethod,
            ErasureEvidence,
            ErasureResult,
            SanitisationBasis,
            SanitisationLevel,
            Technique,
            Verification,
        )

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
        # core.evidence: the files these fields name are checked by `devicebank check-evidence`.
        register_evidence(ErasureEvidence, name_field="raw_file", sha_field="sha256")
        register_evidence(Certificate, name_field="pdf_file", sha_field="pdf_sha256")
        register_evidence(CertificateBatch, name_field="archive_file", sha_field="archive_sha256")
        # Pages show these codes by name: {{ code|label:"ErasureResult" }}.
        register_labels(
            SanitisationLevel, SanitisationBasis, Technique, Verification, ErasureResult, DestructionMethod
        )
