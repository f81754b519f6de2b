"""Thematic plans read by the journal: plan against fact, the next planned topic, the plan page."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from types import SimpleNamespace

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from ejournal.access import policy
from ejournal.access.policy import Actor
from ejournal.curriculum.models import TeachingAssignment
from ejournal.timetable.models import Lesson

from ..models import PlannedTopic
from .common import today
from .grid import HELD


@dataclass(frozen=True)
class PlanVsFact:
    """Programme delivery of one assignment on a date (hours = lessons)."""

    planned_total: int  # hours in the thematic plan
    scheduled_total: int  # held lessons in the timetable for the whole year
    planned_to_date: int  # lessons scheduled up to the date (what the plan expects by then, capped by the plan)
    given_to_date: int  # lessons up to the date with a topic written
    lag: int  # planned_to_date − given_to_date (positive: behind the plan)


def _year_lessons(assignment: TeachingAssignment) -> QuerySet[Lesson]:
    return Lesson.objects.filter(
        school_class_id=assignment.school_class_id, subgroup=assignment.subgroup_id,
        subject_id=assignment.subject_id, status__in=HELD,
        date__gte=assignment.year.starts_on, date__lte=assignment.year.ends_on,
    )  # fmt: skip


def _plan_topics(assignment: TeachingAssignment) -> list[PlannedTopic]:
    return list(PlannedTopic.objects.filter(plan__assignment=assignment).order_by("position"))


def plan_vs_fact(
    *, actor: Actor, assignment: TeachingAssignment, on_date: dt.date, topics: list[PlannedTopic] | None = None
) -> PlanVsFact:
    """Compare the thematic plan with the lessons given (with a topic) up to `on_date`.

    `topics` are the plan's topics when the caller has read them already.
    """
    policy.enforce(actor, "can_view_journal", assignment)
    planned_total = sum(t.hours for t in (_plan_topics(assignment) if topics is None else topics))
    lessons = _year_lessons(assignment)
    scheduled_total = lessons.count()
    scheduled_to_date = lessons.filter(date__lte=on_date).count()
    given = lessons.filter(date__lte=on_date).exclude(topic="").count()
    planned_to_date = min(scheduled_to_date, planned_total)
    return PlanVsFact(
        planned_total=planned_total, scheduled_total=scheduled_total, planned_to_date=planned_to_date,
        given_to_date=given, lag=max(planned_to_date - given, 0),
    )  # fmt: skip


def planned_topic_next(
    *, actor: Actor, assignment: TeachingAssignment, before: Lesson | None = None
) -> PlannedTopic | None:
    """The topic the plan expects next: lessons with a topic so far use up the plan's hours in order.

    With `before`, only lessons before that one count (the suggestion for that lesson).
    """
    policy.enforce(actor, "can_view_journal", assignment)
    given = _year_lessons(assignment).exclude(topic="")
    if before is not None:
        given = given.filter(Q(date__lt=before.date) | Q(date=before.date, lesson_number__lt=before.lesson_number))
    used = given.count()
    for topic in _plan_topics(assignment):
        if used < topic.hours:
            return topic
        used -= topic.hours
    return None


def plan_page(*, actor: Actor, assignment: TeachingAssignment) -> SimpleNamespace:
    """The thematic plan with its topics, plan vs fact today, and whether the actor may edit it."""
    topics = _plan_topics(assignment)
    return SimpleNamespace(
        assignment=assignment, topics=topics,
        fact=plan_vs_fact(actor=actor, assignment=assignment, on_date=today(), topics=topics),
        can_edit=policy.check(actor, "can_keep_journal", assignment) or policy.check(actor, "can_plan_school", assignment),
    )  # fmt: skip


def planned_topic_get(*, actor: Actor, assignment: TeachingAssignment, pk: int) -> PlannedTopic:
    return get_object_or_404(
        PlannedTopic.objects.select_related("plan__assignment"), pk=pk, plan__assignment=assignment
    )
