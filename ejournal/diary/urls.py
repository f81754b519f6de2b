from django.urls import path

from . import views

app_name = "diary"
urlpatterns = [
    path("", views.home, name="home"),
    path("<int:student_id>/", views.week, name="week"),
    path("<int:student_id>/marks/", views.marks, name="marks"),
    path("<int:student_id>/acknowledge/", views.acknowledge, name="acknowledge"),
    path("<int:student_id>/files/<int:pk>/", views.attachment, name="attachment"),
    path("<int:student_id>/extract/", views.extract, name="extract"),
    path("extracts/", views.extract_students, name="extract_students"),
    path("calendar/", views.feed_settings, name="feed_settings"),
    path("calendar/reset/", views.feed_reset, name="feed_reset"),
    path("feed/<str:token>.ics", views.feed_ics, name="feed"),
]
