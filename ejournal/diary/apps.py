from django.apps import AppConfig


class DiaryConfig(AppConfig):
    name = "ejournal.diary"
    label = "diary"
