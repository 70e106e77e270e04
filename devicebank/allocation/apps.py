from django.apps import AppConfig


class AllocationConfig(AppConfig):
    name = "devicebank.allocation"
    label = "allocation"
    verbose_name = "Allocation: requests and reservations"
