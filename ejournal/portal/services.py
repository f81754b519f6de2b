"""Writes of the portal: the role a user chose last."""

from __future__ import annotations

from ejournal.access.generation import access_changed

from .models import RolePreference


def role_preference_set(*, user_id: int, key: str) -> None:
    """Remember `key` as the role `user_id` starts in at the next sign-in (on any device)."""
    preference, created = RolePreference.objects.get_or_create(user_id=user_id, defaults={"key": key})
    if not created:
        if preference.key == key:
            return
        preference.key = key
        preference.save(update_fields=["key", "changed_at"])
    access_changed([user_id])  # the preference is part of the user's cached access
