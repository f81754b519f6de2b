"""The policy's ground: the `Actor`, the registry of named rules, `check` and `enforce`, the building blocks."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied

from ..roles import CITY_ROLES, SCHOOL_ADMIN_ROLES, SCHOOL_STAFF_ROLES, Role


@dataclass(frozen=True)
class Actor:
    """Who is acting, in which role, and which objects that role reaches.

    Built once per request by the portal's middleware from the user's active
    role; everything here is ids, so rules never query the database.
    """

    user_id: int | None
    role: str | None = None
    municipality_id: int | None = None
    district_id: int | None = None
    school_id: int | None = None
    # Schools reached by a district or city role.
    school_ids: frozenset[int] = field(default_factory=frozenset)
    # Classes a teacher teaches or leads; classes a class teacher leads.
    class_ids: frozenset[int] = field(default_factory=frozenset)
    led_class_ids: frozenset[int] = field(default_factory=frozenset)
    # Children of a guardian; the student's own id for a student.
    student_ids: frozenset[int] = field(default_factory=frozenset)
    is_superuser: bool = False

    @property
    def is_authenticated(self) -> bool:
        return self.user_id is not None and self.role is not None

    @property
    def user_id_required(self) -> int:
        """`user_id` where a person must be acting (a write's author): the anonymous actor is refused."""
        if self.user_id is None:
            raise PermissionDenied("a signed-in user is required")
        return self.user_id

    @property
    def municipality_id_required(self) -> int:
        """`municipality_id` where only a city role gets in (the view's rule admits no other): else refused."""
        if self.municipality_id is None:
            raise PermissionDenied("a city role is required")
        return self.municipality_id

    @property
    def school_id_required(self) -> int:
        """`school_id` where only a school role gets in (the view's rule admits no other): else refused."""
        if self.school_id is None:
            raise PermissionDenied("a school role is required")
        return self.school_id


ANONYMOUS = Actor(user_id=None)

Rule = Callable[[Actor, Any], bool]
RULES: dict[str, Rule] = {}


def rule(func: Rule) -> Rule:
    """Register a named rule; its name is the function's name."""
    RULES[func.__name__] = func
    return func


def check(actor: Actor, name: str, target: Any = None) -> bool:
    """Tell whether `actor` passes rule `name` on `target`; unknown rules deny."""
    func = RULES.get(name)
    if func is None or not actor.is_authenticated:
        return False
    return bool(func(actor, target))


def enforce(actor: Actor, name: str, target: Any = None) -> None:
    """Raise PermissionDenied unless `check` passes."""
    if not check(actor, name, target):
        raise PermissionDenied(name)


# --- building blocks ------------------------------------------------------------


def school_of(actor: Actor, target: Any) -> int | None:
    if target is None:
        return actor.school_id
    return getattr(target, "school_id", None)


def is_school_admin_of(actor: Actor, school_id: int | None) -> bool:
    return actor.role in SCHOOL_ADMIN_ROLES and school_id is not None and school_id == actor.school_id


def is_staff_of(actor: Actor, school_id: int | None) -> bool:
    return actor.role in SCHOOL_STAFF_ROLES and school_id is not None and school_id == actor.school_id


def oversees(actor: Actor, school_id: int | None) -> bool:
    """District and city roles read the schools of their territory."""
    if actor.role == Role.DISTRICT_OFFICER or actor.role in CITY_ROLES:
        return school_id in actor.school_ids
    return False
