from django.apps import AppConfig


class SupportConfig(AppConfig):
    name = "ejournal.support"
    label = "support"
