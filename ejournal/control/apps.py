from django.apps import AppConfig


class ControlConfig(AppConfig):
    name = "ejournal.control"
    label = "control"
