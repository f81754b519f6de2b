from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("ejournal.portal.urls")),
    path("accounts/", include("ejournal.accounts.urls")),
    path("school/", include("ejournal.people.urls")),
    path("admin/", admin.site.urls),
]
