from django.urls import path

from . import views

app_name = "control"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("findings/", views.findings, name="findings"),
    path("note/", views.note, name="note"),
    path("note.pdf", views.note_pdf, name="note_pdf"),
    path("remind/", views.remind, name="remind"),
    path("verify/", views.verify, name="verify"),
    path("note/jobs/", views.note_job_start, name="note_job_start"),
    path("note/jobs/<int:pk>/", views.note_job, name="note_job"),
    path("note/jobs/<int:pk>/progress/", views.note_job_progress, name="note_job_progress"),
    path("note/jobs/<int:pk>/pdf/", views.note_job_pdf, name="note_job_pdf"),
]
