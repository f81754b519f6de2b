"""Access expectations for the municipal service pages (see ejournal/tests/test_authorization.py)."""

from ejournal.access.roles import Role

from .factories import make_application

READERS = {Role.DIRECTOR, Role.DEPUTY_HEAD, Role.JOURNAL_COORDINATOR}
POST_ONLY = {"allowed": set(), "post_only": True}


def _application(w):
    return {"pk": make_application(w.school).pk}


def _foreign_application(w):
    return {"pk": make_application(w.other_school).pk}


AUTHZ = {
    "service:index": {"public": True},
    "service:school_page": {"public": True, "kwargs": lambda w: {"code": w.school.code}},
    "service:done": {"public": True, "kwargs": lambda w: {"code": w.school.code}},
    "service:status": {"public": True, "kwargs": lambda w: {"code": w.school.code}},
    "service:register_bulk": POST_ONLY,
    "service:register": {"allowed": READERS},
    "service:application": {"allowed": READERS, "kwargs": _application, "foreign_kwargs": _foreign_application},
    "service:application_match": {**POST_ONLY, "kwargs": _application},
    "service:application_verify": {**POST_ONLY, "kwargs": _application},
    "service:application_grant": {**POST_ONLY, "kwargs": _application},
    "service:application_refuse": {**POST_ONLY, "kwargs": _application},
    "service:guardian": {
        "allowed": READERS,
        "kwargs": lambda w: {"pk": w.guardian.pk},
        "foreign_kwargs": lambda w: {"pk": w.foreign_guardian.pk},
    },
    "service:consent_withdraw": {**POST_ONLY, "kwargs": lambda w: {"pk": 1}},
}
