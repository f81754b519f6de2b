from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "ejournal.demo"
    label = "demo"
