"""Writes on accounts, with their audit records."""

from __future__ import annotations

from django.db import transaction

from ejournal.access.policy import Actor
from ejournal.core.audit import audit_record

from .models import User


@transaction.atomic
def password_change_completed(*, user: User, actor: Actor | None) -> None:
    """The user chose their own password (change or reset): stop asking for a new one."""
    if user.must_change_password:
        User.objects.filter(pk=user.pk).update(must_change_password=False)
        user.must_change_password = False
        audit_record(actor=actor, action="password_change", obj=user, changes={"must_change_password": [True, False]})
