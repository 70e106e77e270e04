from django.apps import AppConfig


class PlacesConfig(AppConfig):
    name = "devicebank.places"
    label = "places"
    verbose_name = "Places (local authorities, deprivation, postcodes)"
