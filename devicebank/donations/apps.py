from django.apps import AppConfig


class DonationsConfig(AppConfig):
    name = "devicebank.donations"
    label = "donations"
    verbose_name = "Donations and intake"
