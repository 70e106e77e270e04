from django.apps import AppConfig


class DonationsConfig(AppConfig):
    name = "devicebank.donations"
    label = "donations"
    verbose_name = "Donations and intake"

    def ready(self) -> None:
        from devicebank.core.evidence import register_evidence
        from devicebank.core.jobs import register_job
        from devicebank.donations.models import RegisterImport

        # core.jobs ends a register import as failed, whatever it raises, and sweeps stuck ones.
        S = RegisterImport.Status
        register_job(
            RegisterImport,
            waiting=[S.UPLOADED, S.QUEUED],
            running=[S.CHECKING, S.IMPORTING],
            failed=S.FAILED,
            label="register import",
        )
        register_evidence(RegisterImport, name_field="stored_file", sha_field="file_sha256")
        register_evidence(RegisterImport, name_field="report_file", sha_field="report_sha256")
