from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "ejournal.reports"
    verbose_name = "Отчёты школы"
