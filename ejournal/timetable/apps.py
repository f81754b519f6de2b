from django.apps import AppConfig


class TimetableConfig(AppConfig):
    name = "ejournal.timetable"
    label = "timetable"
