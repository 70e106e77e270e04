from django.apps import AppConfig


class RecipientsConfig(AppConfig):
    name = "devicebank.recipients"
    label = "recipients"
    verbose_name = "Recipients (schools and organisations)"
