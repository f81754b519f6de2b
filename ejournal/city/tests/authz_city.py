"""Access expectations for the city layer (see ejournal/tests/test_authorization.py).

City roles reach every district of their city, so a foreign object is one of
another district, checked for the district officer in the app's own tests.
"""

from ejournal.access.roles import Role
from ejournal.core.models import ImportJob

from .factories import make_complex, make_report

OFFICERS = {Role.DISTRICT_OFFICER, Role.MUNICIPAL_OFFICER, Role.METHODIST}
EDITORS = {Role.DISTRICT_OFFICER, Role.MUNICIPAL_OFFICER}
POST_ONLY = {"allowed": set(), "post_only": True}


def _report(w):
    return {"pk": make_report(w.district).pk}


def _upload_job(w):
    report = make_report(w.district)
    job = ImportJob.objects.create(
        kind="monthly_report_rows", target_id=report.pk, created_by=w.district_officer, file_name="rows.xlsx",
        status=ImportJob.Status.DONE,
    )  # fmt: skip
    return {"pk": report.pk, "job_pk": job.pk}


def _manual_row(w):
    from .factories import other_vendor

    other_vendor(w.school, w.city)
    report = make_report(w.district)
    row = report.rows.get(school=w.school)
    row.source = "manual"
    row.save()
    return {"pk": report.pk, "row_pk": row.pk}


AUTHZ = {
    "city:rollout": {"allowed": OFFICERS},
    "city:rollout_export": {"allowed": OFFICERS},
    "city:rollout_school": {"allowed": EDITORS, "kwargs": lambda w: {"pk": w.school.pk}},
    "city:complexes": {"allowed": {Role.MUNICIPAL_OFFICER}},
    "city:complex_edit": {"allowed": {Role.MUNICIPAL_OFFICER}, "kwargs": lambda w: {"pk": make_complex(w.city).pk}},
    "city:reports": {"allowed": OFFICERS},
    "city:report_open": POST_ONLY,
    "city:report_template": {"allowed": {Role.DISTRICT_OFFICER}, "kwargs": lambda w: {"fmt": "xlsx"}},
    "city:report": {"allowed": OFFICERS, "kwargs": _report},
    "city:report_row": {"allowed": {Role.DISTRICT_OFFICER}, "kwargs": _manual_row},
    "city:report_row_drop": {**POST_ONLY, "kwargs": _manual_row},
    "city:report_upload": {"allowed": {Role.DISTRICT_OFFICER}, "kwargs": _report},
    "city:report_upload_job": {"allowed": {Role.DISTRICT_OFFICER}, "kwargs": _upload_job},
    "city:report_upload_job_progress": {"allowed": {Role.DISTRICT_OFFICER}, "kwargs": _upload_job},
    "city:report_problems": {**POST_ONLY, "kwargs": _report},
    "city:report_submit": {**POST_ONLY, "kwargs": _report},
    "city:report_accept": {**POST_ONLY, "kwargs": _report},
    "city:report_return": {**POST_ONLY, "kwargs": _report},
    "city:report_export": {"allowed": OFFICERS, "kwargs": lambda w: {**_report(w), "fmt": "xlsx"}},
    "city:city_report": {"allowed": {Role.MUNICIPAL_OFFICER, Role.METHODIST}},
    "city:city_report_export": {
        "allowed": {Role.MUNICIPAL_OFFICER, Role.METHODIST},
        "kwargs": lambda w: {"fmt": "xlsx"},
    },
}
