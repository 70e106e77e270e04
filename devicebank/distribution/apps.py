from django.apps import AppConfig


class DistributionConfig(AppConfig):
    name = "devicebank.distribution"
    label = "distribution"
    verbose_name = "Distribution: dispatch and handover"
