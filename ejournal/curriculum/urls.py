"""URLs of subjects, the curriculum, the study week and assignments (namespace "curriculum")."""

from django.urls import path

from .views import assignments, imports, plan

app_name = "curriculum"
urlpatterns = [
    path("", plan.grid, name="grid"),
    path("grade/<int:grade>/", plan.grade_edit, name="grade_edit"),
    path("week/", plan.study_week, name="study_week"),
    path("subjects/", plan.subjects, name="subjects"),
    path("subjects/new/", plan.subject_create, name="subject_create"),
    path("subjects/<int:pk>/", plan.subject_edit, name="subject_edit"),
    path("subjects/<int:pk>/toggle/", plan.subject_toggle, name="subject_toggle"),
    path("assignments/", assignments.assignments, name="assignments"),
    path("assignments/new/", assignments.assignment_create, name="assignment_create"),
    path("assignments/<int:pk>/reassign/", assignments.assignment_reassign, name="assignment_reassign"),
    path("assignments/<int:pk>/end/", assignments.assignment_end, name="assignment_end"),
    path("my/", assignments.my_assignments, name="my_assignments"),
    path("import/", imports.import_list, name="import_list"),
    path("import/template/<slug:kind>.<slug:fmt>", imports.import_template, name="import_template"),
    path("import/<int:pk>/", imports.import_job, name="import_job"),
    path("import/<int:pk>/progress/", imports.import_job_progress, name="import_job_progress"),
]
