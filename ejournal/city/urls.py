from django.urls import path, register_converter

from .views import reports, rollout


class ExportFormat:
    regex = "xlsx|pdf"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


class TemplateFormat(ExportFormat):
    regex = "xlsx|csv"


register_converter(ExportFormat, "export")
register_converter(TemplateFormat, "tplfmt")

app_name = "city"
urlpatterns = [
    path("rollout/", rollout.rollout, name="rollout"),
    path("rollout/export.xlsx", rollout.rollout_export, name="rollout_export"),
    path("rollout/schools/<int:pk>/", rollout.rollout_school, name="rollout_school"),
    path("complexes/", rollout.complexes, name="complexes"),
    path("complexes/<int:pk>/", rollout.complex_edit, name="complex_edit"),
    path("reports/", reports.report_list, name="reports"),
    path("reports/open/", reports.report_open, name="report_open"),
    path("reports/template.<tplfmt:fmt>", reports.report_template, name="report_template"),
    path("reports/<int:pk>/", reports.report_detail, name="report"),
    path("reports/<int:pk>/rows/<int:row_pk>/", reports.report_row, name="report_row"),
    path("reports/<int:pk>/rows/<int:row_pk>/drop/", reports.report_row_drop, name="report_row_drop"),
    path("reports/<int:pk>/upload/", reports.report_upload, name="report_upload"),
    path("reports/<int:pk>/upload/<int:job_pk>/", reports.report_upload_job, name="report_upload_job"),
    path(
        "reports/<int:pk>/upload/<int:job_pk>/progress/",
        reports.report_upload_job_progress,
        name="report_upload_job_progress",
    ),
    path("reports/<int:pk>/problems/", reports.report_problems, name="report_problems"),
    path("reports/<int:pk>/submit/", reports.report_submit, name="report_submit"),
    path("reports/<int:pk>/accept/", reports.report_accept, name="report_accept"),
    path("reports/<int:pk>/return/", reports.report_return, name="report_return"),
    path("reports/<int:pk>/export.<export:fmt>", reports.report_export, name="report_export"),
    path("city/", reports.city_report, name="city_report"),
    path("city/export.<export:fmt>", reports.city_report_export, name="city_report_export"),
]

# Monitoring (issue 6, item 5): ejournal/city/views_monitoring.py.
from . import views_monitoring  # noqa: E402

urlpatterns += [
    path("monitoring/", views_monitoring.monitoring, name="monitoring"),
    path("monitoring/districts/<int:district_id>/", views_monitoring.monitoring_district, name="monitoring_district"),
    path("monitoring/schools/<int:school_id>/", views_monitoring.monitoring_school, name="monitoring_school"),
    path(
        "monitoring/schools/<int:school_id>/teachers/<int:teacher_id>/",
        views_monitoring.monitoring_teacher,
        name="monitoring_teacher",
    ),
]
