"""URLs of the school's year setup (namespace "schools", mounted at /year/)."""

from django.urls import path

from .views import year as views

app_name = "schools"
urlpatterns = [
    path("", views.year, name="year"),
    path("terms/new/", views.term_create, name="term_create"),
    path("terms/<int:pk>/", views.term_edit, name="term_edit"),
    path("terms/<int:pk>/delete/", views.term_delete, name="term_delete"),
    path("holidays/new/", views.holiday_create, name="holiday_create"),
    path("holidays/<int:pk>/", views.holiday_edit, name="holiday_edit"),
    path("holidays/<int:pk>/delete/", views.holiday_delete, name="holiday_delete"),
    path("standard/", views.standard_fill, name="standard_fill"),
]
