"""Reads of the timetable, scoped to the acting user: a foreign or unreachable object is a 404."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from ejournal.access import policy
from ejournal.access.policy import Actor
from ejournal.access.roles import SCHOOL_STAFF_ROLES
from ejournal.accounts.models import User
from ejournal.curriculum.models import CurriculumLine, TeachingAssignment
from ejournal.schools.models import AcademicYear, School, SchoolClass, Term

from .calendar import Bells, current_year
from .models import BellSchedule, GenerationRun, Lesson, Room

LESSON_RELATED = ("school_class", "subject", "teacher", "substitute", "room", "subgroup", "moved_to")


def school_of(actor: Actor) -> School:
    return get_object_or_404(School, pk=actor.school_id)


def year_of(school: School) -> AcademicYear:
    year = current_year(school)
    if year is None:
        raise Http404
    return year


def classes_visible(*, actor: Actor) -> QuerySet[SchoolClass]:
    """Classes of the current year whose timetable the actor may see."""
    qs = SchoolClass.objects.filter(school=actor.school_id, year__is_current=True).order_by("grade", "letter")
    if policy.check(actor, "can_view_room_timetable"):  # school administration sees every class
        return qs
    return qs.filter(pk__in=actor.class_ids)


def class_get(*, actor: Actor, pk: int) -> SchoolClass:
    cls = get_object_or_404(SchoolClass.objects.select_related("school"), pk=pk, school_id=actor.school_id)
    if not policy.check(actor, "can_view_timetable", cls):
        raise Http404
    return cls


def class_for_planning(*, actor: Actor, pk: int) -> SchoolClass:
    cls = get_object_or_404(
        SchoolClass.objects.select_related("school"), pk=pk, school_id=actor.school_id, year__is_current=True
    )
    policy.enforce(actor, "can_plan_timetable", cls)
    return cls


def school_teachers(*, school_id: int, day: dt.date | None = None) -> QuerySet[User]:
    """Staff of the school with a current appointment, by name (the substitute and teacher lists)."""
    day = day or timezone.localdate()
    return (
        User.objects.filter(role_assignments__school_id=school_id, role_assignments__role__in=SCHOOL_STAFF_ROLES)
        .filter(Q(role_assignments__starts_on__isnull=True) | Q(role_assignments__starts_on__lte=day))
        .filter(Q(role_assignments__ends_on__isnull=True) | Q(role_assignments__ends_on__gte=day))
        .distinct()
        .order_by("last_name", "first_name", "middle_name")
    )


def teacher_get(*, actor: Actor, pk: int) -> User:
    teacher = get_object_or_404(school_teachers(school_id=actor.school_id_required), pk=pk)
    if not policy.check(actor, "can_view_teacher_timetable", SimpleNamespace(id=teacher.pk, school_id=actor.school_id)):
        raise Http404
    return teacher


def rooms_list(*, actor: Actor) -> QuerySet[Room]:
    return Room.objects.filter(school=actor.school_id)


def room_get(*, actor: Actor, pk: int) -> Room:
    room = get_object_or_404(rooms_list(actor=actor), pk=pk)
    policy.enforce(actor, "can_view_room_timetable", room)
    return room


def bell_schedules(*, actor: Actor) -> QuerySet[BellSchedule]:
    return BellSchedule.objects.filter(school=actor.school_id).prefetch_related("bells")


def bell_schedule_get(*, actor: Actor, pk: int) -> BellSchedule:
    return get_object_or_404(bell_schedules(actor=actor), pk=pk)


def lesson_for_planning(*, actor: Actor, pk: int) -> Lesson:
    lesson = get_object_or_404(
        Lesson.objects.select_related(*LESSON_RELATED, "school_class__school"), pk=pk, school_id=actor.school_id
    )
    policy.enforce(actor, "can_plan_timetable", lesson)
    return lesson


def class_assignments(*, school_class: SchoolClass, day: dt.date) -> QuerySet[TeachingAssignment]:
    """The class's assignments valid on `day`: what a timetable cell may hold."""
    return (
        TeachingAssignment.objects.filter(school_class=school_class, starts_on__lte=day)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day))
        .select_related("subject", "teacher", "subgroup")
        .order_by("subject__position", "subject__name", "subgroup__name")
    )


def curriculum_lines(*, school_class: SchoolClass) -> dict[int, CurriculumLine]:
    lines = CurriculumLine.objects.filter(
        school_id=school_class.school_id, year_id=school_class.year_id, grade=school_class.grade
    )
    return {line.subject_id: line for line in lines}


def lessons_between(*, school_id: int, first: dt.date, last: dt.date) -> QuerySet[Lesson]:
    return (
        Lesson.objects.filter(school_id=school_id, date__range=(first, last))
        .select_related(*LESSON_RELATED)
        .order_by("date", "lesson_number", "subgroup__name", "pk")
    )


def lessons_of_teacher(*, school_id: int, teacher_id: int, first: dt.date, last: dt.date) -> QuerySet[Lesson]:
    """Lessons the teacher gives: their own without a substitute, and those they substitute."""
    own = Q(teacher_id=teacher_id, substitute__isnull=True) | Q(substitute_id=teacher_id)
    return lessons_between(school_id=school_id, first=first, last=last).filter(own)


def teacher_day(*, actor: Actor, day: dt.date) -> list[dict]:
    """The actor's lessons of `day` (own and substitutions) with their bells, in order."""
    lessons = list(
        lessons_of_teacher(school_id=actor.school_id_required, teacher_id=actor.user_id_required, first=day, last=day)
    )
    bells = Bells(actor.school_id_required)
    return [
        {
            "lesson": lesson,
            "bell": bells.bell(
                grade=lesson.school_class.grade, shift=lesson.school_class.shift, number=lesson.lesson_number
            ),
            "is_substitution": lesson.substitute_id == actor.user_id,
        }
        for lesson in lessons
    ]


def school_terms(*, actor: Actor) -> QuerySet[Term]:
    return Term.objects.filter(school=actor.school_id, year__is_current=True).order_by("starts_on", "min_grade")


def generation_runs(*, actor: Actor) -> QuerySet[GenerationRun]:
    return GenerationRun.objects.filter(school=actor.school_id).select_related("created_by")
