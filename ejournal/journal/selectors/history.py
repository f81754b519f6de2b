"""The change history of a cell and of a lesson: who, in which role, when, old → new, why."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404

from ejournal.access import policy
from ejournal.access.policy import Actor
from ejournal.people.models import Enrolment, Student, SubgroupMembership
from ejournal.timetable.models import Lesson

from ..models import ChangeRecord


def history_cell_get(*, actor: Actor, lesson_id: int, student_id: int) -> tuple[Lesson, Student]:
    """The lesson and the student of a cell whose history the actor may read; Http404 otherwise.

    404, not 403, for a lesson of the school whose journal the actor may not read, as for another school's:
    the answer would name the student. The student must be in the lesson's class (its subgroup, for a
    subgroup's lesson) at some time, not only on the lesson's day: the grid shows those who arrived or left
    during the term too, each cell with its history.
    """
    lesson = Lesson.objects.filter(pk=lesson_id, school=actor.school_id).select_related("school_class").first()
    if lesson is None or not policy.check(actor, "can_view_journal", lesson):
        raise Http404
    member: QuerySet[Enrolment] | QuerySet[SubgroupMembership]
    if lesson.subgroup_id is not None:
        member = SubgroupMembership.objects.filter(subgroup_id=lesson.subgroup_id, student_id=OuterRef("pk"))
    else:
        member = Enrolment.objects.filter(school_class_id=lesson.school_class_id, student_id=OuterRef("pk"))
    student = Student.objects.filter(Exists(member), pk=student_id, school_id=lesson.school_id).first()
    if student is None:
        raise Http404
    return lesson, student


def cell_history(*, actor: Actor, lesson: Lesson, student: Student) -> list[ChangeRecord]:
    """Every change of one cell (marks and attendance of a student in a lesson), oldest first, with who and why."""
    policy.enforce(actor, "can_view_journal", lesson)
    return list(
        ChangeRecord.objects.filter(lesson=lesson, student=student)
        .select_related("actor", "correction_request")
        .order_by("at", "id")
    )


def lesson_history(*, actor: Actor, lesson: Lesson) -> list[ChangeRecord]:
    """Changes of the lesson itself (topic, control flag, homework), oldest first."""
    policy.enforce(actor, "can_view_journal", lesson)
    return list(
        ChangeRecord.objects.filter(lesson=lesson, student__isnull=True).select_related("actor").order_by("at", "id")
    )
