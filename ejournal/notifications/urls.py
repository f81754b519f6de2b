from django.urls import path

from . import views

app_name = "notifications"
urlpatterns = [
    path("", views.digest_settings, name="settings"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
