"""Access expectations for the Regulation pages (see ejournal/tests/test_authorization.py)."""

from ejournal.access.roles import Role

SCHOOL = {Role.DIRECTOR, Role.DEPUTY_HEAD, Role.JOURNAL_COORDINATOR}

AUTHZ = {
    "regulation:school": {"allowed": SCHOOL},
    "regulation:adopt": {"allowed": {Role.DIRECTOR}},
    "regulation:coordinator": {"allowed": {Role.DIRECTOR}},
    "regulation:exemplary": {"allowed": SCHOOL | {Role.MUNICIPAL_OFFICER, Role.METHODIST, Role.DISTRICT_OFFICER}},
    "regulation:exemplary_edit": {"allowed": {Role.MUNICIPAL_OFFICER}},
}
