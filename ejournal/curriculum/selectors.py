"""Reads of subjects, the curriculum grid and teaching assignments, scoped to the acting school."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from ejournal.access.policy import Actor
from ejournal.access.roles import SCHOOL_STAFF_ROLES
from ejournal.accounts.models import User
from ejournal.people.models import RoleAssignment
from ejournal.schools.models import AcademicYear, School, SchoolClass, StudyWeek, Subgroup

from .models import CurriculumLine, Subject, TeachingAssignment
from .rules import max_weekly_load

# --- subjects ---------------------------------------------------------------------------------


def subjects_visible(*, actor: Actor) -> QuerySet[Subject]:
    """The city catalogue and the school's own subjects (active or not)."""
    return Subject.objects.filter(Q(school__isnull=True) | Q(school_id=actor.school_id))


def subjects_offered(*, school_id: int) -> QuerySet[Subject]:
    """Subjects a school can put in its curriculum and assignments now."""
    return Subject.objects.filter(Q(school__isnull=True) | Q(school_id=school_id), is_active=True)


def subject_get_own(*, actor: Actor, pk: int) -> Subject:
    """A subject of the actor's school; catalogue and foreign subjects are 404."""
    return get_object_or_404(Subject, pk=pk, school_id=actor.school_id)


# --- the study week and the curriculum grid ------------------------------------------------


def study_week_days(*, school: School, year: AcademicYear) -> dict[int, int]:
    """Study days per grade (5 where nothing is set)."""
    days = dict.fromkeys(range(1, min(11, school.max_grade) + 1), 5)
    for week in StudyWeek.objects.filter(school=school, year=year):
        for grade in range(week.min_grade, week.max_grade + 1):
            if grade in days:
                days[grade] = week.days
    return days


def curriculum_grid(*, school: School, year: AcademicYear) -> dict:
    """Subjects × grades with weekly hours, totals per grade and the usual maximum load.

    Rows are the subjects that have hours in some grade; a grade whose total
    exceeds its maximum is flagged.
    """
    days = study_week_days(school=school, year=year)
    grades = list(days)
    lines = CurriculumLine.objects.filter(school=school, year=year).select_related("subject")
    by_subject: dict[int, dict[int, CurriculumLine]] = defaultdict(dict)
    subjects: dict[int, Subject] = {}
    totals = dict.fromkeys(grades, Decimal("0"))
    for line in lines:
        by_subject[line.subject_id][line.grade] = line
        subjects[line.subject_id] = line.subject
        if line.grade in totals:
            totals[line.grade] += line.hours_per_week
    ordered = sorted(subjects.values(), key=lambda s: (s.position, s.name))
    rows = [{"subject": s, "cells": [by_subject[s.pk].get(g) for g in grades]} for s in ordered]
    summary = []
    for grade in grades:
        limit = max_weekly_load(grade, days[grade])
        over = limit is not None and totals[grade] > limit
        summary.append({"grade": grade, "total": totals[grade], "max": limit, "over": over, "days": days[grade]})
    return {"grades": grades, "rows": rows, "summary": summary}


def grade_lines(*, school: School, year: AcademicYear, grade: int) -> list[tuple[Subject, CurriculumLine | None]]:
    """Every subject offered, with the grade's line for it if any (for the grade's edit form)."""
    lines = {line.subject_id: line for line in CurriculumLine.objects.filter(school=school, year=year, grade=grade)}
    offered = list(subjects_offered(school_id=school.pk))
    extra = Subject.objects.filter(pk__in=set(lines) - {s.pk for s in offered})
    subjects = sorted([*offered, *extra], key=lambda s: (s.position, s.name))
    return [(s, lines.get(s.pk)) for s in subjects]


# --- teaching assignments ------------------------------------------------------------------


def teachers_of_school(*, school_id: int) -> QuerySet[User]:
    """People with a current staff appointment at the school (who may get an assignment)."""
    active = RoleAssignment.objects.filter(
        user=OuterRef("pk"), school_id=school_id, role__in=SCHOOL_STAFF_ROLES, ends_on__isnull=True
    )
    return User.objects.filter(Exists(active)).order_by("last_name", "first_name", "middle_name")


def classes_of_year(*, school_id: int, year: AcademicYear) -> QuerySet[SchoolClass]:
    return SchoolClass.objects.filter(school_id=school_id, year=year)


def subgroups_of_year(*, school_id: int, year: AcademicYear) -> QuerySet[Subgroup]:
    return Subgroup.objects.filter(school_id=school_id, school_class__year=year).select_related("school_class")


def assignments_of_year(*, actor: Actor, year: AcademicYear) -> QuerySet[TeachingAssignment]:
    return (
        TeachingAssignment.objects.filter(school=actor.school_id, year=year)
        .select_related("teacher", "school_class", "subgroup", "subject")
        .order_by("school_class__grade", "school_class__letter", "subject__position", "subject__name", "starts_on")
    )


def assignment_get(*, actor: Actor, pk: int) -> TeachingAssignment:
    """An assignment of the actor's school; a foreign one is 404."""
    qs = TeachingAssignment.objects.select_related("year", "teacher", "school_class", "subgroup", "subject")
    return get_object_or_404(qs, pk=pk, school_id=actor.school_id)


def _in_force(a: TeachingAssignment, today: dt.date) -> bool:
    """Counted in the load: not yet ended (current or starting later)."""
    return a.ends_on is None or a.ends_on >= today


def _grouped(
    assignments: Iterable[TeachingAssignment], key: Callable[[TeachingAssignment], object], today: dt.date
) -> dict[Any, dict[str, Any]]:
    groups: dict[Any, dict[str, Any]] = {}
    for a in assignments:
        group = groups.setdefault(key(a), {"items": [], "total": Decimal("0")})
        in_force = _in_force(a, today)
        a.in_force = in_force  # type: ignore[attr-defined]  # shown by the template
        group["items"].append(a)
        if in_force:
            group["total"] += a.hours_per_week
    return groups


def assignments_by_class(*, actor: Actor, year: AcademicYear, today: dt.date | None = None) -> list[dict]:
    """Every class of the year with its assignments and the hours in force (two queries)."""
    today = today or timezone.localdate()
    groups = _grouped(assignments_of_year(actor=actor, year=year), lambda a: a.school_class_id, today)
    empty = {"items": [], "total": Decimal("0")}
    return [
        {"cls": c, **groups.get(c.pk, empty)} for c in classes_of_year(school_id=actor.school_id_required, year=year)
    ]


def assignments_by_teacher(*, actor: Actor, year: AcademicYear, today: dt.date | None = None) -> list[dict]:
    """Every teacher with assignments this year, with the weekly hours in force."""
    today = today or timezone.localdate()
    assignments = assignments_of_year(actor=actor, year=year)
    groups = _grouped(assignments, lambda a: a.teacher, today)
    ordered = sorted(groups.items(), key=lambda kv: (kv[0].last_name, kv[0].first_name, kv[0].middle_name))
    return [{"teacher": teacher, **group} for teacher, group in ordered]


def my_assignments(*, actor: Actor, year: AcademicYear, today: dt.date | None = None) -> dict:
    """The acting teacher's own assignments of the year at the school of the active role."""
    today = today or timezone.localdate()
    own = assignments_of_year(actor=actor, year=year).filter(teacher_id=actor.user_id)
    return _grouped(own, lambda a: "mine", today).get("mine", {"items": [], "total": Decimal("0")})
