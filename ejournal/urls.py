from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from ejournal.access.decorators import public
from ejournal.api import v1
from ejournal.core import ops

urlpatterns = [
    path("", include("ejournal.portal.urls")),
    path("accounts/", include("ejournal.accounts.urls")),
    path("school/", include("ejournal.people.urls")),
    path("year/", include("ejournal.schools.urls")),
    path("curriculum/", include("ejournal.curriculum.urls")),
    path("timetable/", include("ejournal.timetable.urls")),
    path("journal/", include("ejournal.journal.urls")),
    path("diary/", include("ejournal.diary.urls")),
    path("notifications/", include("ejournal.notifications.urls")),
    # The municipal service: public pages (short URLs for school sites) and the coordinator's register.
    path("u/", include("ejournal.service.urls")),
    path("regulation/", include("ejournal.regulation.urls")),
    path("control/", include("ejournal.control.urls")),
    path("reports/", include("ejournal.reports.urls")),
    path("support/", include("ejournal.support.urls")),
    path("archive/", include("ejournal.archive.urls")),
    path("city/", include("ejournal.city.urls")),
    # The OAuth 2.0 / OpenID Connect authorization server (issuer: SITE_URL + /o).
    path("o/", include("ejournal.api.oauth_urls")),
    # The open API (OpenAPI description at /api/v1/openapi.json) and its pages (docs, connected apps).
    path("api/v1/", v1.urls()),
    path("api/", include("ejournal.api.urls")),
    path("i18n/setlang/", public(set_language), name="set_language"),
    path("admin/", admin.site.urls),
    # For the operators' tools, not served by nginx to the outside (ejournal/core/ops.py, deploy/).
    path("healthz", ops.healthz, name="healthz"),
    path("readyz", ops.readyz, name="readyz"),
    path("metrics", ops.metrics_view, name="metrics"),
]

# The database away is a 503 with Retry-After wherever it fails (ejournal/core/outage.py).
handler500 = "ejournal.core.views.server_error"
