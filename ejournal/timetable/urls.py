from django.urls import path

from .views import editor, imports, lessons, setup, weeks

app_name = "timetable"
urlpatterns: list = [
    path("", weeks.home, name="home"),
    path("today/", weeks.today, name="today"),
    path("class/<int:class_id>/", weeks.class_week, name="class_week"),
    path("teacher/<int:teacher_id>/", weeks.teacher_week, name="teacher_week"),
    path("room/<int:room_id>/", weeks.room_week, name="room_week"),
    path("class/<int:class_id>/edit/", editor.editor, name="editor"),
    path("class/<int:class_id>/edit/<int:weekday>/<int:number>/", editor.cell, name="cell"),
    path("class/<int:class_id>/edit/<int:weekday>/<int:number>/clear/", editor.cell_clear, name="cell_clear"),
    path("class/<int:class_id>/edit/copy-day/", editor.copy_day, name="copy_day"),
    path("class/<int:class_id>/extra-lesson/", lessons.extra_lesson, name="extra_lesson"),
    path("rooms/", setup.rooms, name="rooms"),
    path("rooms/<int:pk>/", setup.room_edit, name="room_edit"),
    path("bells/", setup.bells, name="bells"),
    path("bells/new/", setup.bell_schedule_new, name="bell_schedule_new"),
    path("bells/<int:pk>/", setup.bell_schedule_edit, name="bell_schedule_edit"),
    path("lesson/<int:pk>/", lessons.lesson, name="lesson"),
    path("lesson/<int:pk>/substitute/", lessons.lesson_substitute, name="lesson_substitute"),
    path("lesson/<int:pk>/cancel/", lessons.lesson_cancel, name="lesson_cancel"),
    path("lesson/<int:pk>/move/", lessons.lesson_move, name="lesson_move"),
    path("generate/", lessons.generate, name="generate"),
    path("import/", imports.import_list, name="import_list"),
    path("import/template.<slug:fmt>", imports.import_template, name="import_template"),
    path("import/<int:pk>/", imports.import_job, name="import_job"),
    path("import/<int:pk>/progress/", imports.import_job_progress, name="import_job_progress"),
]
