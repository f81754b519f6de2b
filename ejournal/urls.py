from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("ejournal.portal.urls")),
    path("accounts/", include("ejournal.accounts.urls")),
    path("school/", include("ejournal.people.urls")),
    path("year/", include("ejournal.schools.urls")),
    path("curriculum/", include("ejournal.curriculum.urls")),
    path("timetable/", include("ejournal.timetable.urls")),
    path("admin/", admin.site.urls),
]
