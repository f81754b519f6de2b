from django.urls import path

from . import views

app_name = "control"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("findings/", views.findings, name="findings"),
    path("note/", views.note, name="note"),
    path("note.pdf", views.note_pdf, name="note_pdf"),
    path("remind/", views.remind, name="remind"),
]
