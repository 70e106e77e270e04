from django.apps import AppConfig


class HardwareConfig(AppConfig):
    name = "devicebank.hardware"
    label = "hardware"
    verbose_name = "Hardware reports (what a machine says about itself)"

    def ready(self) -> None:
        from devicebank.core.evidence import register_evidence
        from devicebank.hardware.models import HardwareReport

        register_evidence(HardwareReport, name_field="raw_file", sha_field="sha256")
