"""Writes of the open API: the log of children's data read, and revoking what an app was given."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from oauth2_provider.models import AccessToken, Application, Grant, RefreshToken

from ejournal.access import policy
from ejournal.access.policy import Actor
from ejournal.core.audit import audit_record
from ejournal.core.sql import column
from ejournal.people.models import Student

from .models import ApiRead

if TYPE_CHECKING:
    from .core import Caller


def api_read_log(*, caller: Caller, actor: Actor, student_id: int, school_id: int, what: str) -> None:
    """Record one API read of a child's data: who, through which client, what (in the reading request).

    One INSERT in the request's own statement (autocommit: durable before the answer is sent), without the
    ORM's `RETURNING` and model machinery."""
    with connection.cursor() as cursor:
        cursor.execute(_insert_sql("VALUES (%s, %s, %s, %s, %s, %s, %s)"),
                       [school_id, student_id, *_who(caller, actor, what)])  # fmt: skip


def api_read_log_child(*, caller: Caller, actor: Actor, student_id: int, what: str) -> bool:
    """`api_read_log` for a child known only by id: the school is taken from the child's record in the same
    INSERT … SELECT (no SELECT before it). False when the record is gone (nothing written: a 404)."""
    student = Student._meta
    source = (
        f'SELECT s."{student.get_field("school").column}", s."id", %s, %s, %s, %s, %s '  # noqa: S608 - names from the model; values parameters
        f'FROM "{student.db_table}" s WHERE s."id" = %s'
    )
    with connection.cursor() as cursor:
        cursor.execute(_insert_sql(source), [*_who(caller, actor, what), student_id])
        return cursor.rowcount == 1


def _who(caller: Caller, actor: Actor, what: str) -> list[Any]:
    user_id = caller.user.pk if caller.user else None
    at = connection.ops.adapt_datetimefield_value(timezone.now())
    return [user_id, caller.application_id, actor.role or "", what[:200], at]


def _insert_sql(source: str) -> str:
    meta = ApiRead._meta
    fields = ("school", "student", "user", "application", "role", "what", "at")
    columns = ", ".join(f'"{column(ApiRead, name)}"' for name in fields)
    return f'INSERT INTO "{meta.db_table}" ({columns}) {source}'


def _revoke(application_id: int, user_id: int | None) -> int:
    """Delete the application's tokens and codes (for one person, or all of a system's): they stop at once."""
    tokens = AccessToken.objects.filter(application_id=application_id)
    refresh = RefreshToken.objects.filter(application_id=application_id)
    grants = Grant.objects.filter(application_id=application_id)
    if user_id is not None:
        tokens, refresh, grants = (
            tokens.filter(user_id=user_id),
            refresh.filter(user_id=user_id),
            grants.filter(user_id=user_id),
        )
    n = tokens.count()
    refresh.delete()  # before the access tokens: a refresh token would mint a new one
    tokens.delete()
    grants.delete()
    return n


def app_revoke_mine(*, application: Application, actor: Actor) -> int:
    """The person withdraws an app's access to their account («Подключённые приложения»)."""
    if actor.user_id is None:
        raise ValidationError(_("Войдите, чтобы отозвать доступ."))
    with transaction.atomic():
        n = _revoke(application.pk, actor.user_id)
        audit_record(actor=actor, action="api.app_revoked_by_person", obj=application, changes={"tokens": [n, 0]})
    return n


def app_revoke_for_school(*, application: Application, user_id: int | None, school_id: int, actor: Actor) -> int:
    """The coordinator withdraws an app's access: for one person of the school, or a system bound to the school."""
    policy.enforce(actor, "can_revoke_school_apps", _School(school_id))
    with transaction.atomic():
        n = _revoke(application.pk, user_id)
        audit_record(actor=actor, action="api.app_revoked_by_coordinator", obj=application, school_id=school_id,
                     changes={"tokens": [n, 0], "user": [user_id, None]})  # fmt: skip
    return n


class _School:
    def __init__(self, school_id: int):
        self.school_id = school_id
