"""Start-up checks of the sign-in settings: unknown role names fail, no second factor in production warns."""

from django.conf import settings
from django.core import checks

from ejournal.access.roles import Role


@checks.register(checks.Tags.security)
def second_factor_roles(app_configs=None, **kwargs):
    problems = []
    unknown = sorted(set(settings.OTP_REQUIRED_ROLES) - {r.value for r in Role})
    if unknown:
        problems.append(
            checks.Error(f"OTP_REQUIRED_ROLES names unknown roles: {unknown}", id="accounts.E001", hint=str(list(Role)))
        )
    return problems


@checks.register(checks.Tags.security, deploy=True)
def second_factor_required_in_production(app_configs=None, **kwargs):
    if settings.OTP_REQUIRED_ROLES:
        return []
    return [
        checks.Warning(
            "OTP_REQUIRED_ROLES is empty: staff sign in with a password only (meant for the demo).",
            id="accounts.W001",
        )
    ]
