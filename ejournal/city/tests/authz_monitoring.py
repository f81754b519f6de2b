"""Access expectations for the monitoring pages (see ejournal/tests/test_authorization.py).

City roles reach every district, so another district's pages are checked for
the district officer in test_monitoring.py.
"""

from ejournal.access.roles import Role

OFFICERS = {Role.DISTRICT_OFFICER, Role.MUNICIPAL_OFFICER, Role.METHODIST}

AUTHZ = {
    "city:monitoring": {"allowed": OFFICERS},
    "city:monitoring_district": {"allowed": OFFICERS, "kwargs": lambda w: {"district_id": w.district.pk}},
    "city:monitoring_school": {"allowed": OFFICERS, "kwargs": lambda w: {"school_id": w.school.pk}},
    "city:monitoring_teacher": {
        "allowed": OFFICERS,
        "kwargs": lambda w: {"school_id": w.school.pk, "teacher_id": w.teacher.pk},
    },
}
