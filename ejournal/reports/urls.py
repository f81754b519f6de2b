from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.school, name="school"),
    path("report.xlsx", views.school, {"fmt": "xlsx"}, name="school_xlsx"),
    path("report.pdf", views.school, {"fmt": "pdf"}, name="school_pdf"),
    path("classes/", views.classes, name="classes"),
    path("classes/<int:pk>/", views.class_report, name="class"),
    path("classes/<int:pk>/report.xlsx", views.class_report, {"fmt": "xlsx"}, name="class_xlsx"),
    path("classes/<int:pk>/report.pdf", views.class_report, {"fmt": "pdf"}, name="class_pdf"),
    path("classes/<int:pk>/sheet/", views.sheet, name="sheet"),
    path("classes/<int:pk>/sheet.xlsx", views.sheet, {"fmt": "xlsx"}, name="sheet_xlsx"),
    path("classes/<int:pk>/sheet.pdf", views.sheet, {"fmt": "pdf"}, name="sheet_pdf"),
    path("classes/<int:pk>/letters/<int:student_id>.pdf", views.letter, name="letter"),
]
