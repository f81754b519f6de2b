from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "ejournal.access"
    label = "access"
