"""Access expectations for the filling control (see ejournal/tests/test_authorization.py)."""

from ejournal.access.roles import Role

CONTROL = {Role.DIRECTOR, Role.DEPUTY_HEAD}

AUTHZ = {
    "control:dashboard": {"allowed": CONTROL},
    "control:findings": {"allowed": CONTROL},
    "control:note": {"allowed": CONTROL},
    # The PDF answers 503 where WeasyPrint's system libraries are missing; the walk checks the refusals.
    "control:note_pdf": {"allowed": CONTROL},
    "control:remind": {"allowed": set(), "post_only": True},
}
