from django.apps import AppConfig


class JournalConfig(AppConfig):
    name = "ejournal.journal"
    label = "journal"
