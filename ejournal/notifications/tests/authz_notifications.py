"""Access expectations for notifications URLs (see ejournal/tests/test_authorization.py).

The settings page is a family member's own (guardian, or student with a
login); the unsubscribe link is public, guarded by its signed token.
"""

from ejournal.access.roles import Role

from ..mail import unsubscribe_token
from ..models import DigestSubscription


def _token(w):
    subscription = DigestSubscription.objects.create(guardian=w.guardian, enabled=True, watermark="2026-09-01T00:00Z")
    return {"token": unsubscribe_token(subscription)}


AUTHZ = {
    "notifications:settings": {"allowed": {Role.GUARDIAN, Role.STUDENT}},
    "notifications:unsubscribe": {"public": True, "kwargs": _token},
}
