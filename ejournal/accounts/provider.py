"""Sign-in through an external OpenID Connect provider (ЕСИА-style). Filled in below."""

from django.conf import settings


def provider_name() -> str:
    """The provider's name for the button, or "" when no provider is configured."""
    if not getattr(settings, "OIDC_RP_DISCOVERY_URL", ""):
        return ""
    return settings.OIDC_RP_PROVIDER_NAME
