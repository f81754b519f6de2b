"""The change history of a cell and of a lesson: who, in which role, when, old → new, why."""

from __future__ import annotations

from ejournal.access import policy
from ejournal.access.policy import Actor
from ejournal.people.models import Student
from ejournal.timetable.models import Lesson

from ..models import ChangeRecord


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
