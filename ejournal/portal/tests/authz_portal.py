"""Access expectations for the portal's and accounts' URLs (see ejournal/tests/test_authorization.py)."""

from ejournal.access.roles import Role

ALL_ROLES = set(Role)

AUTHZ = {
    "portal:home": {"allowed": ALL_ROLES},
    "portal:schools": {"allowed": {Role.MUNICIPAL_OFFICER, Role.METHODIST, Role.DISTRICT_OFFICER}},
    # POST-only: every role gets 405 on GET; the test treats 405 as "not a page".
    "portal:switch_role": {"allowed": set(), "post_only": True},
    "portal:favicon": {"public": True},
    "set_language": {"public": True, "post_only": True},
    "accounts:login": {"public": True},
    "accounts:logout": {"public": True, "post_only": True},
    "accounts:password_change": {"allowed": ALL_ROLES},
    "accounts:password_change_done": {"allowed": ALL_ROLES},
    "accounts:password_reset": {"public": True},
    "accounts:password_reset_done": {"public": True},
    "accounts:password_reset_confirm": {"public": True, "kwargs": lambda w: {"uidb64": "MQ", "token": "x-y"}},
    "accounts:password_reset_complete": {"public": True},
    "accounts:second_factor": {"public": True},
    "accounts:second_factor_setup": {"allowed": ALL_ROLES},
    "accounts:recovery_codes_new": {"allowed": set(), "post_only": True},
    "accounts:second_factor_off": {"allowed": set(), "post_only": True},
    "accounts:sessions": {"allowed": ALL_ROLES},
    # Back to the login page while no provider is configured (the tests' settings).
    "accounts:provider_start": {"public": True},
    "accounts:provider_callback": {"public": True},
    "accounts:sessions_end_others": {"allowed": set(), "post_only": True},
}
