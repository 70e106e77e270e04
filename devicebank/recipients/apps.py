from django.apps import AppConfig


class RecipientsConfig(AppConfig):
    name = "devicebank.recipients"
    label = "recipients"
    verbose_name = "Recipients (schools and organisations)"

    def ready(self) -> None:
        from devicebank.core.evidence import register_evidence
        from devicebank.core.jobs import register_job
        from devicebank.recipients.models import SchoolImport

        # core.jobs ends a GIAS import as failed, whatever it raises, and sweeps stuck ones; the kept file goes.
        S = SchoolImport.Status
        register_job(
            SchoolImport,
            waiting=[S.QUEUED],
            running=[S.IMPORTING],
            failed=S.FAILED,
            label="school import",
            drop_files=["stored_file"],
        )
        register_evidence(SchoolImport, name_field="stored_file", sha_field="file_sha256")
