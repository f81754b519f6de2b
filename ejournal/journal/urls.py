from django.urls import path

from .views import admin, classes, grid, lessons, periods, plans

app_name = "journal"
urlpatterns: list = [
    path("", grid.my, name="my"),
    path("<int:assignment_id>/<int:term_id>/", grid.grid, name="grid"),
    path("<int:assignment_id>/<int:term_id>/cells/", grid.cells, name="cells"),
    path("<int:assignment_id>/<int:term_id>/period/", periods.period_mark, name="period_mark"),
    path("<int:assignment_id>/<int:term_id>/period/all/", periods.period_confirm_all, name="period_confirm_all"),
    path(
        "<int:assignment_id>/<int:term_id>/period/correction/",
        periods.period_correction_new,
        name="period_correction_new",
    ),
    path("<int:assignment_id>/<int:term_id>/correction/", grid.correction_new, name="correction_new"),
    path("lesson/<int:lesson_id>/", grid.lesson, name="lesson"),
    path("lesson/<int:lesson_id>/student/<int:student_id>/history/", grid.cell_history, name="cell_history"),
    path("lesson/<int:lesson_id>/panel/", lessons.lesson_panel, name="lesson_panel"),
    path("lesson/<int:lesson_id>/topic/", lessons.lesson_topic, name="lesson_topic"),
    path("lesson/<int:lesson_id>/homework/", lessons.lesson_homework, name="lesson_homework"),
    path("lesson/<int:lesson_id>/work-type/", lessons.lesson_work_type, name="lesson_work_type"),
    path("file/<int:pk>/", lessons.attachment, name="attachment"),
    path("plan/<int:assignment_id>/", plans.plan, name="plan"),
    path("plan/<int:assignment_id>/upload/", plans.plan_upload, name="plan_upload"),
    path("plan/<int:assignment_id>/upload/<int:pk>/", plans.plan_import_job, name="plan_import_job"),
    path(
        "plan/<int:assignment_id>/upload/<int:pk>/progress/",
        plans.plan_import_job_progress,
        name="plan_import_job_progress",
    ),
    path("plan/<int:assignment_id>/template.<slug:fmt>", plans.plan_template, name="plan_template"),
    path("plan/<int:assignment_id>/<int:topic_id>/edit/", plans.plan_topic_edit, name="plan_topic_edit"),
    path("plan/<int:assignment_id>/<int:topic_id>/move/", plans.plan_move, name="plan_move"),
    path("plan/<int:assignment_id>/<int:topic_id>/delete/", plans.plan_topic_delete, name="plan_topic_delete"),
    path("corrections/", admin.corrections, name="corrections"),
    path("corrections/mine/", admin.my_corrections, name="my_corrections"),
    path("corrections/<int:pk>/decide/", admin.correction_decide, name="correction_decide"),
    path("terms/", admin.terms, name="terms"),
    path("terms/<int:term_id>/close/", admin.term_close, name="term_close"),
    path("terms/reopen/<int:pk>/", admin.term_reopen, name="term_reopen"),
    path("class/<int:class_id>/", classes.class_overview_current, name="class_overview_current"),
    path("class/<int:class_id>/<int:term_id>/", classes.class_overview, name="class_overview"),
    path("class/<int:class_id>/<int:term_id>/xlsx/", classes.class_overview_xlsx, name="class_overview_xlsx"),
    path("class/<int:class_id>/absences/", classes.absence_reasons, name="absence_reasons"),
]
