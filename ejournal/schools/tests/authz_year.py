"""Access expectations for the year setup URLs (see ejournal/tests/test_authorization.py)."""

import datetime as dt

from ejournal.access.roles import Role
from ejournal.schools.models import Holiday, Term

PLANNERS = {Role.DIRECTOR, Role.DEPUTY_HEAD}
READERS = PLANNERS | {Role.JOURNAL_COORDINATOR}


def _term(school):
    return {"pk": Term.objects.filter(school=school).order_by("starts_on").first().pk}


def _holiday(world, school):
    holiday = Holiday.objects.create(
        municipality=world.city,
        school=school,
        year=world.year,
        name="День школы",
        kind=Holiday.Kind.OTHER,
        starts_on=dt.date(2026, 10, 5),
        ends_on=dt.date(2026, 10, 5),
    )
    return {"pk": holiday.pk}


AUTHZ = {
    "schools:year": {"allowed": READERS},
    "schools:term_create": {"allowed": PLANNERS},
    "schools:term_edit": {
        "allowed": PLANNERS,
        "kwargs": lambda w: _term(w.school),
        "foreign_kwargs": lambda w: _term(w.other_school),
    },
    "schools:term_delete": {
        "allowed": PLANNERS,
        "post_only": True,
        "kwargs": lambda w: _term(w.school),
    },
    "schools:holiday_create": {"allowed": PLANNERS},
    "schools:holiday_edit": {
        "allowed": PLANNERS,
        "kwargs": lambda w: _holiday(w, w.school),
        "foreign_kwargs": lambda w: _holiday(w, w.other_school),
    },
    "schools:holiday_delete": {
        "allowed": PLANNERS,
        "post_only": True,
        "kwargs": lambda w: _holiday(w, w.school),
    },
    "schools:standard_fill": {"allowed": PLANNERS, "post_only": True},
}
