from django.apps import AppConfig


class ServiceConfig(AppConfig):
    name = "ejournal.service"
    label = "service"
