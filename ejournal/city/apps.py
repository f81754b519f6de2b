from django.apps import AppConfig


class CityConfig(AppConfig):
    name = "ejournal.city"
    label = "city"
