"""Who is in the system: classes, students, teachers with accounts, guardians with access and signed in."""

from __future__ import annotations

import datetime as dt

from axes.models import AccessLog
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from ejournal.access.roles import Role
from ejournal.people.models import Enrolment, GuardianLink, RoleAssignment
from ejournal.schools.models import SchoolClass


def active(first: dt.date, last: dt.date, prefix: str = "") -> Q:
    return (Q(**{f"{prefix}starts_on__isnull": True}) | Q(**{f"{prefix}starts_on__lte": last})) & (
        Q(**{f"{prefix}ends_on__isnull": True}) | Q(**{f"{prefix}ends_on__gte": first})
    )


def by_school(rows, key: str = "n", by: str = "school_id") -> dict[int, int]:
    return {row[by]: row[key] for row in rows}


def school_coverage(ids: list[int], first: dt.date, last: dt.date) -> dict[str, dict[int, int]]:
    """Classes, students, teachers with accounts, guardians: four grouped queries (active teachers: `lessons_filling`)."""
    classes = SchoolClass.objects.filter(school_id__in=ids, year__starts_on__lte=last, year__ends_on__gte=first)
    students = Enrolment.objects.filter(active(first, last), school_id__in=ids)
    teachers = RoleAssignment.objects.filter(
        active(first, last), school_id__in=ids, role=Role.TEACHER, user__is_active=True,
    )  # fmt: skip
    start, end = _day_start(first), _day_start(last + dt.timedelta(days=1))
    logins = AccessLog.objects.filter(username=OuterRef("guardian__user__username"), attempt_time__gte=start,
                                      attempt_time__lt=end)  # fmt: skip
    guardians = GuardianLink.objects.filter(
        school_id__in=ids, guardian__user__isnull=False, guardian__user__is_active=True
    ).filter(active(first, last, "student__enrolments__"))
    return {
        "classes_in_system": by_school(classes.values("school_id").annotate(n=Count("id"))),
        "students_in_system": by_school(students.values("school_id").annotate(n=Count("student_id", distinct=True))),
        "teachers_with_accounts": by_school(teachers.values("school_id").annotate(n=Count("user_id", distinct=True))),
        **_guardians(guardians, logins),
    }


def _guardians(guardians, logins) -> dict[str, dict[int, int]]:
    rows = guardians.values("school_id").annotate(
        n=Count("guardian_id", distinct=True),
        logged=Count("guardian_id", distinct=True, filter=Q(Exists(logins))),
    )
    return {"guardians_with_access": by_school(rows), "guardians_logged_in": by_school(rows, "logged")}


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))
