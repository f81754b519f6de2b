"""The authentication backend: Django's `ModelBackend`, with the signed-in user read by a prepared statement.

Every signed-in request reads its user (`get_user`). The ORM compiles that query
anew each time, which costs more than running it; `ejournal.core.sql` prepares it
once per PostgreSQL connection and makes the same `User` instance from the row.
"""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend

from ejournal.core.sql import _select, _t, columns, instances

from .models import User


class UserBackend(ModelBackend):
    def get_user(self, user_id):
        try:
            pk = int(user_id)
        except (TypeError, ValueError):
            return None
        rows = _select(
            "accounts_user_1",
            lambda listed: f"SELECT {columns(User, 'u')} FROM {_t(User)} u WHERE u.id = %(pk)s",  # noqa: S608
            {"pk": "bigint"},
            {"pk": pk},
        )
        if not rows:
            return None
        (user,) = instances(rows[0], 0, User)
        return user if self.user_can_authenticate(user) else None
