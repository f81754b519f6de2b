from django.urls import path

from . import views

app_name = "regulation"
urlpatterns = [
    path("", views.school, name="school"),
    path("adopt/", views.adopt, name="adopt"),
    path("coordinator/", views.coordinator, name="coordinator"),
    path("exemplary/", views.exemplary, name="exemplary"),
    path("exemplary/edit/", views.exemplary_edit, name="exemplary_edit"),
]
