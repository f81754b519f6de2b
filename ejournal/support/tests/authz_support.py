"""Access expectations for the support desk (see ejournal/tests/test_authorization.py)."""

from ejournal.access.roles import Role

from .factories import make_attachment, make_request

SCHOOL = {Role.DIRECTOR, Role.DEPUTY_HEAD, Role.JOURNAL_COORDINATOR}
READERS = SCHOOL | {Role.DISTRICT_OFFICER, Role.MUNICIPAL_OFFICER, Role.METHODIST}
POST_ONLY = {"allowed": set(), "post_only": True}


def _own(w):
    return {"pk": make_request(w.school, w.director).pk}


def _foreign(w):
    return {"pk": make_request(w.other_school, w.foreign_director).pk}


AUTHZ = {
    "support:list": {"allowed": READERS},
    "support:new": {"allowed": SCHOOL},
    # Another district's request: the school and district roles get 404 (the city roles reach every school).
    "support:detail": {"allowed": READERS, "kwargs": _own},
    "support:reply": {**POST_ONLY, "kwargs": _own},
    "support:status": {**POST_ONLY, "kwargs": _own},
    "support:attachment": {
        "allowed": READERS,
        "kwargs": lambda w: {"pk": make_attachment(make_request(w.school, w.director)).pk},
    },
}
