from django.apps import AppConfig


class ProgrammesConfig(AppConfig):
    name = "devicebank.programmes"
    label = "programmes"
    verbose_name = "Programmes (schemes)"
