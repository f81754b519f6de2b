"""Access expectations for the open API and its pages (see ejournal/tests/test_authorization.py).

API entries (`"api": True`) are walked with a bearer token of each role's persona (the role named in
`X-Ejournal-Role`) and with a vendor's system bound to the own school (`VENDOR`): the allowed get 200 (a POST
with `payload`: 200/201), the others 403/404, no token 401; `foreign_kwargs` (the other school's objects) is
403/404 for everybody. Own objects as in the diary's and journal's tables: 5 «А» of school 1, its maths
journal kept by the class teacher persona.
"""

import datetime as dt

from ejournal.access.roles import VENDOR_SYSTEM, Role
from ejournal.diary.tests.authz_diary import _attachment, _student
from ejournal.journal.tests.authz_journal import _grid, _own

FAMILY = {Role.STUDENT, Role.GUARDIAN}
ADMIN = {Role.DIRECTOR, Role.DEPUTY_HEAD, Role.JOURNAL_COORDINATOR}
STAFF = ADMIN | {Role.TEACHER, Role.CLASS_TEACHER}
READERS = ADMIN | {Role.CLASS_TEACHER}  # the keeper and the school's administration
TEACHERS = {Role.TEACHER, Role.CLASS_TEACHER}
CITY = {Role.MUNICIPAL_OFFICER, Role.METHODIST}
VENDOR = VENDOR_SYSTEM
LESSON_DAY = dt.datetime(2026, 9, 7, 15, tzinfo=dt.timezone(dt.timedelta(hours=3)))  # `authz_journal._own`'s lesson


def _figures(w, foreign=False):
    return {"year": 2026, "month": 10, "school_id": (w.other_school if foreign else w.school).pk}


def _cell_payload(w):
    _a, day = _own(w)
    return {"cells": [{"student_id": w.student.pk, "lesson_id": day.pk, "text": "5", "token": "walk-1"}]}


def _cells(w, foreign=False):
    return _grid(w, foreign)


AUTHZ = {
    # The pages.
    "api:docs": {"public": True},
    "api_v1:api-root": {"public": True},
    "api_v1:openapi-json": {"public": True},
    "api:my_apps": {"allowed": set(Role)},
    "api:my_app_revoke": {"post_only": True, "kwargs": lambda w: {"application_id": 1}},
    "api:school_apps": {"allowed": {Role.JOURNAL_COORDINATOR}},
    "api:school_app_revoke": {"post_only": True, "kwargs": lambda w: {"application_id": 1}},
    # Families.
    "api_v1:family_children": {"api": True, "allowed": FAMILY},
    "api_v1:family_week": {
        "api": True,
        "allowed": FAMILY,
        "kwargs": _student,
        "foreign_kwargs": lambda w: _student(w, foreign=True),
    },
    "api_v1:family_marks": {
        "api": True,
        "allowed": FAMILY,
        "kwargs": _student,
        "foreign_kwargs": lambda w: _student(w, foreign=True),
    },
    "api_v1:family_homework": {
        "api": True,
        "allowed": FAMILY,
        "kwargs": _student,
        "foreign_kwargs": lambda w: _student(w, foreign=True),
    },
    "api_v1:family_attachment": {
        "api": True,
        "allowed": FAMILY,
        "kwargs": _attachment,
        "foreign_kwargs": lambda w: _attachment(w, foreign=True),
    },
    "api_v1:family_acknowledge": {
        "api": True,
        "method": "post",
        "allowed": {Role.GUARDIAN},
        "kwargs": _student,
        "foreign_kwargs": lambda w: _student(w, foreign=True),
        "payload": lambda w: {"week": "2026-W37"},
    },
    # Staff.
    "api_v1:staff_timetable": {"api": True, "allowed": TEACHERS},
    "api_v1:staff_journals": {"api": True, "allowed": STAFF},
    "api_v1:staff_journal": {
        "api": True,
        "allowed": READERS,
        "kwargs": _grid,
        "foreign_kwargs": lambda w: _grid(w, foreign=True),
    },
    # On the day of the lesson: the Regulation's deadline has not passed.
    "api_v1:staff_journal_cells": {
        "api": True,
        "method": "post",
        "allowed": {Role.CLASS_TEACHER},
        "kwargs": _cells,
        "foreign_kwargs": lambda w: _cells(w, foreign=True),
        "payload": _cell_payload,
        "at": LESSON_DAY,
    },
    "api_v1:staff_journal_correction": {
        "api": True,
        "method": "post",
        "allowed": {Role.CLASS_TEACHER},
        "kwargs": _cells,
        "foreign_kwargs": lambda w: _cells(w, foreign=True),
        "payload": lambda w: {"cell": _cell_payload(w)["cells"][0], "reason": "Опоздал"},
        "ok": {201, 400},
    },
    # The city exchange: a vendor's system for its own school; the department for the city.
    "api_v1:city_schedule": {"api": True, "allowed": {VENDOR}},
    "api_v1:city_school_figures": {
        "api": True,
        "allowed": {VENDOR},
        "kwargs": _figures,
        "foreign_kwargs": lambda w: _figures(w, foreign=True),
    },
    "api_v1:city_school_figures_push": {
        "api": True,
        "allowed": {VENDOR},
        "kwargs": _figures,
        "foreign_kwargs": lambda w: _figures(w, foreign=True),
    },
    "api_v1:city_figures": {"api": True, "allowed": CITY},
}
