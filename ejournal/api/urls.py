from django.urls import path

from . import views

app_name = "api"

urlpatterns = [
    path("", views.docs, name="docs"),
    path("apps/", views.my_apps, name="my_apps"),
    path("apps/<int:application_id>/revoke/", views.my_app_revoke, name="my_app_revoke"),
    path("school-apps/", views.school_apps, name="school_apps"),
    path("school-apps/<int:application_id>/revoke/", views.school_app_revoke, name="school_app_revoke"),
]
