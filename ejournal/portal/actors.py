"""Composition root for access: which roles a user holds, and the Actor of each.

This module sits at the top of the dependency graph (it may read every app),
so the policy itself stays free of model imports.

`UserAccess(user)` is what the middleware uses: the role choices and the
actors built so far, cached across requests under a key made of the user,
today's date, the language and the superuser flag, holding the access
generation (`ejournal.access.generation`) it was built under. A signed-in
request thus costs one cache round trip and no query here in the steady
state; any service that changes access bumps the generation and the next
request builds afresh.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from ejournal.access.generation import generation_and_entry
from ejournal.access.policy import ANONYMOUS, Actor
from ejournal.access.roles import CITY_ROLES, Role
from ejournal.curriculum.models import TeachingAssignment
from ejournal.people.models import GuardianLink, RoleAssignment, Student
from ejournal.schools.models import School, SchoolClass

from .models import RolePreference

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class RoleChoice:
    """One role a user can switch to; `key` is stable across requests."""

    key: str
    role: str
    label: StrOrPromise
    scope_label: str
    municipality_id: int | None = None
    district_id: int | None = None
    school_id: int | None = None


def role_choices(user) -> list[RoleChoice]:
    """List the roles `user` holds today, appointments first, then class teacher, student, guardian.

    The labels are plain text in the current language (the cached entry is per language, `_cache_key`): a lazy
    translation in the entry cost every signed-in request ≈ 0.08 ms to unpickle (a class made per proxy)."""
    if not user.is_authenticated:
        return []
    today = timezone.localdate()
    choices: list[RoleChoice] = []
    assignments = (
        RoleAssignment.objects.filter(user=user)
        .filter(Q(starts_on__isnull=True) | Q(starts_on__lte=today))
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
        .select_related("school", "district", "municipality")
        .order_by("id")
    )
    for a in assignments:
        scope = a.school or a.district or a.municipality
        school = a.school
        choices.append(
            RoleChoice(
                key=f"a{a.id}",
                role=a.role,
                label=str(Role(a.role).label),
                scope_label=str(scope),
                municipality_id=(school.municipality_id if school else a.municipality_id)
                or (a.district.municipality_id if a.district else None),
                district_id=school.district_id if school else a.district_id,
                school_id=a.school_id,
            )
        )
    led = SchoolClass.objects.filter(class_teacher=user, year__is_current=True).select_related("school")
    for cls in led:
        choices.append(
            RoleChoice(
                key=f"c{cls.id}",
                role=Role.CLASS_TEACHER,
                label=str(Role.CLASS_TEACHER.label),
                scope_label=_("%(class)s, %(school)s") % {"class": cls, "school": cls.school},
                municipality_id=cls.school.municipality_id,
                district_id=cls.school.district_id,
                school_id=cls.school_id,
            )
        )
    student = Student.objects.filter(user=user, is_active=True).select_related("school").first()
    if student:
        choices.append(
            RoleChoice(
                key="s",
                role=Role.STUDENT,
                label=str(Role.STUDENT.label),
                scope_label=str(student.school),
                school_id=student.school_id,
                district_id=student.school.district_id,
                municipality_id=student.school.municipality_id,
            )
        )
    if GuardianLink.objects.filter(guardian__user=user).exists():
        choices.append(RoleChoice(key="g", role=Role.GUARDIAN, label=str(Role.GUARDIAN.label), scope_label=""))
    return choices


def actor_build(user, choice: RoleChoice | None) -> Actor:
    """Resolve the ids a role reaches; a handful of indexed queries."""
    if choice is None or not user.is_authenticated:
        return ANONYMOUS if not user.is_authenticated else Actor(user_id=user.id, is_superuser=user.is_superuser)
    base = {
        "user_id": user.id,
        "role": choice.role,
        "municipality_id": choice.municipality_id,
        "district_id": choice.district_id,
        "school_id": choice.school_id,
        "is_superuser": user.is_superuser,
    }
    if choice.role in CITY_ROLES:
        ids = School.objects.filter(municipality=choice.municipality_id).values_list("id", flat=True)
        return Actor(**base, school_ids=frozenset(ids))
    if choice.role == Role.DISTRICT_OFFICER:
        ids = School.objects.filter(district=choice.district_id).values_list("id", flat=True)
        return Actor(**base, school_ids=frozenset(ids))
    if choice.role in (Role.TEACHER, Role.CLASS_TEACHER):
        led = frozenset(
            SchoolClass.objects.filter(
                class_teacher_id=user.id, school=choice.school_id, year__is_current=True
            ).values_list("id", flat=True)
        )
        if choice.role == Role.CLASS_TEACHER:
            led = frozenset({int(choice.key[1:])})
        return Actor(**base, class_ids=led | _taught_class_ids(user.id, choice.school_id), led_class_ids=led)
    if choice.role == Role.STUDENT:
        own = Student.objects.filter(user=user, is_active=True).values_list("id", flat=True)
        return Actor(**base, student_ids=frozenset(own))
    if choice.role == Role.GUARDIAN:
        children = GuardianLink.objects.filter(guardian__user=user).values_list("student_id", flat=True)
        return Actor(**base, student_ids=frozenset(children))
    return Actor(**base)


def _taught_class_ids(user_id: int, school_id: int | None) -> frozenset[int]:
    """Classes the teacher teaches today by a current teaching assignment."""
    today = timezone.localdate()
    return frozenset(
        TeachingAssignment.objects.filter(teacher_id=user_id, school=school_id, year__is_current=True)
        .filter(starts_on__lte=today)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
        .values_list("school_class_id", flat=True)
    )


# --- cached per user ---------------------------------------------------------------------------


def _cache_key(user) -> str:
    today = timezone.localdate().isoformat()
    # date_joined: a database rebuilt elsewhere (demo, benchmark) reuses ids, never their users.
    joined = int(user.date_joined.timestamp() * 1000) if user.date_joined else 0
    # «2»: the role choices' labels are plain text (`role_choices`); entries of the lazy ones are not read again.
    return f"access:user:2:{user.pk}.{joined}:{today}:{get_language()}:{int(user.is_superuser)}"


class UserAccess:
    """One user's role choices, preferred role and the actors built so far, shared by all requests."""

    def __init__(self, user):
        self.user = user
        self.key = _cache_key(user)
        generation, entry = generation_and_entry(user.pk, self.key)
        if not isinstance(entry, dict) or entry.get("generation") != generation:
            preferred = RolePreference.objects.filter(user_id=user.pk).values_list("key", flat=True).first()
            fresh: dict[str, Any] = {
                "generation": generation, "choices": role_choices(user), "preferred": preferred, "actors": {},
            }  # fmt: skip
            self._store(fresh)
            entry = fresh
        self._entry: dict[str, Any] = entry
        self.choices: list[RoleChoice] = self._entry["choices"]
        self.preferred: str | None = self._entry["preferred"]

    def actor(self, choice: RoleChoice | None) -> Actor:
        if choice is None:
            return actor_build(self.user, None)
        actor = self._entry["actors"].get(choice.key)
        if actor is None:
            actor = actor_build(self.user, choice)
            self._entry["actors"][choice.key] = actor
            self._store(self._entry)
        return actor

    def _store(self, entry: dict) -> None:
        cache.set(self.key, entry, getattr(settings, "ACCESS_CACHE_SECONDS", 3600))
