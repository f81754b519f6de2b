"""Reads of the connected-apps pages: the person's own apps, and the apps of a school's people and systems."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from oauth2_provider.models import AccessToken, Application, RefreshToken

from ejournal.access import policy
from ejournal.access.policy import Actor
from ejournal.accounts.models import User
from ejournal.people.models import GuardianLink, RoleAssignment, Student
from ejournal.schools.models import SchoolClass

from .models import ApplicationSchool
from .scopes import SCOPES


@dataclass
class ConnectedApp:
    application: Application
    scopes: list[str] = field(default_factory=list)  # the scopes' descriptions
    user: User | None = None  # the person (the school's page); None for a system
    last_used: dt.datetime | None = None


def _group(tokens: Iterable[AccessToken]) -> list[ConnectedApp]:
    apps: dict[tuple[int, int | None], ConnectedApp] = {}
    for token in tokens:
        item = apps.setdefault((token.application_id, token.user_id), ConnectedApp(token.application, user=token.user))
        for scope in token.scope.split():
            label = str(SCOPES.get(scope, scope))
            if label not in item.scopes:
                item.scopes.append(label)
        item.last_used = max(filter(None, [item.last_used, token.created]), default=None)
    return sorted(apps.values(), key=lambda a: (a.application.name, a.user.pk if a.user else 0))


def _live(qs: QuerySet[AccessToken]) -> QuerySet[AccessToken]:
    return qs.filter(Q(expires__gt=timezone.now()))


def my_apps(*, actor: Actor) -> list[ConnectedApp]:
    """The apps holding a live token or refresh token of the acting person."""
    tokens = list(_live(AccessToken.objects.filter(user_id=actor.user_id)).select_related("application", "user"))
    refreshed = RefreshToken.objects.filter(user_id=actor.user_id, revoked__isnull=True).select_related(
        "application", "user", "access_token"
    )
    seen = {t.application_id for t in tokens}
    tokens += [r.access_token for r in refreshed if r.access_token and r.application_id not in seen]
    return _group(tokens)


def my_app_get(*, actor: Actor, application_id: int) -> Application:
    """An app the person has given access to (anything else: 404)."""
    if not AccessToken.objects.filter(user_id=actor.user_id, application_id=application_id).exists() and not (
        RefreshToken.objects.filter(user_id=actor.user_id, application_id=application_id).exists()
    ):
        raise Http404
    return Application.objects.get(pk=application_id)


def school_people(school_id: int) -> Q:
    """The users of a school: its staff, class teachers, students and their guardians."""
    staff = RoleAssignment.objects.filter(school_id=school_id).values("user_id")
    leaders = SchoolClass.objects.filter(school_id=school_id).values("class_teacher_id")
    students = Student.objects.filter(school_id=school_id, user__isnull=False).values("user_id")
    guardians = GuardianLink.objects.filter(school_id=school_id).values("guardian__user_id")
    return Q(user_id__in=staff) | Q(user_id__in=leaders) | Q(user_id__in=students) | Q(user_id__in=guardians)


def school_apps(*, actor: Actor) -> list[ConnectedApp]:
    """The live tokens of the school's people and of the systems bound to the school, by app and person."""
    policy.enforce(actor, "can_revoke_school_apps")
    systems = ApplicationSchool.objects.filter(school=actor.school_id).values("application_id")
    tokens = _live(AccessToken.objects.filter(school_people(actor.school_id_required) | Q(application_id__in=systems,
                                                                                 user__isnull=True)))  # fmt: skip
    return _group(tokens.select_related("application", "user").order_by("pk"))


def school_app_get(*, actor: Actor, application_id: int, user_id: int | None) -> Application:
    """An app connected by a person of the coordinator's school, or a system bound to it (anything else: 404)."""
    policy.enforce(actor, "can_revoke_school_apps")
    if user_id is None:
        found = ApplicationSchool.objects.filter(school=actor.school_id, application_id=application_id).exists()
    else:
        found = AccessToken.objects.filter(
            school_people(actor.school_id_required), application_id=application_id, user_id=user_id
        ).exists()
    if not found:
        raise Http404
    return Application.objects.get(pk=application_id)
