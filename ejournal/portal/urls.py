from django.urls import path

from . import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("role/", views.switch_role, name="switch_role"),
    path("schools/", views.schools, name="schools"),
    # Browsers ask for /favicon.ico on their own, even on pages that declare an icon.
    path("favicon.ico", views.favicon, name="favicon"),
]
