from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "devicebank.people"
    label = "people"
    verbose_name = "People: organisations, users and roles"
