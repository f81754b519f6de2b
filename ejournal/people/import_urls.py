"""URLs of roster import (included by people/urls.py, namespace "people")."""

from django.urls import path

from . import import_views as views

urlpatterns: list = [
    path("import/", views.import_list, name="import_list"),
    path("import/template/<slug:kind>.<slug:fmt>", views.import_template, name="import_template"),
    path("import/<int:pk>/", views.import_job, name="import_job"),
    path("import/<int:pk>/progress/", views.import_job_progress, name="import_job_progress"),
]
