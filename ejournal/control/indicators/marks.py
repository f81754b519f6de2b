"""The marks of a month's lessons and those entered late, per school or per teacher."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Exists, IntegerField, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce

from ejournal.journal.models import ChangeRecord, Mark

from .coverage import by_school


def mark_entered_late() -> Exists:
    """A mark whose entry the journal recorded as after its deadline (with the written-work deadlines)."""
    return Exists(ChangeRecord.objects.filter(entity="mark", entity_id=OuterRef("pk"), action="create", is_late=True))


def _per_lesson(queryset, column: str) -> Coalesce:
    """The sum over the grouped lessons of a per-lesson count (`queryset` correlated to the lesson, `column` counted)."""
    counted = queryset.order_by().values("lesson_id").annotate(c=Count(column, distinct=column != "*")).values("c")
    return Coalesce(Sum(Subquery(counted, output_field=IntegerField())), 0)


def lesson_marks(lessons, by: str = "school_id") -> dict[int, dict]:
    """Marks and marks entered late of the lessons per school (or per `by`): one grouped query.

    Driven by the month's lessons (their (school, date) index): the marks are counted per lesson from the
    (lesson, student) index alone, and the late ones from the lesson's late creation records that still name
    a mark of the lesson — the journal writes a mark's records with its lesson and its school, the lesson's.
    """
    marks = Mark.objects.filter(lesson_id=OuterRef("pk"))
    late = ChangeRecord.objects.filter(lesson_id=OuterRef("pk"), entity="mark", action="create", is_late=True).filter(
        Exists(Mark.objects.filter(pk=OuterRef("entity_id"), lesson_id=OuterRef("lesson_id")))
    )
    rows = lessons.order_by().values(by).annotate(n=_per_lesson(marks, "*"), late=_per_lesson(late, "entity_id"))
    return {row[by]: row for row in rows}


def late_marks(lessons) -> dict[int, int]:
    """Marks entered late of the lessons per school: the lesson's late creation records still naming its mark."""
    late = ChangeRecord.objects.filter(lesson_id=OuterRef("pk"), entity="mark", action="create", is_late=True).filter(
        Exists(Mark.objects.filter(pk=OuterRef("entity_id"), lesson_id=OuterRef("lesson_id")))
    )
    return by_school(lessons.order_by().values("school_id").annotate(n=_per_lesson(late, "entity_id")))


def month_marks(ids: list[int], first: dt.date, last: dt.date):
    """The marks of the lessons between the dates in the schools."""
    return Mark.objects.filter(school_id__in=ids, lesson__date__gte=first, lesson__date__lte=last)
