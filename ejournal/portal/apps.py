from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "ejournal.portal"
    label = "portal"
