from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "ejournal.people"
    label = "people"
