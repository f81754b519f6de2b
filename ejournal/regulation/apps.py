from django.apps import AppConfig


class RegulationConfig(AppConfig):
    name = "ejournal.regulation"
    label = "regulation"
