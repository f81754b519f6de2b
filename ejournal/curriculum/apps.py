from django.apps import AppConfig


class CurriculumConfig(AppConfig):
    name = "ejournal.curriculum"
    label = "curriculum"
