"""Programme delivery (plan vs fact hours, lag behind the КТП) and students below the mark density norm.

Plan: the assignment's held and scheduled lessons of the period (one lesson is one hour); fact: those held
up to today with a topic written. Lag behind the КТП: lessons held since the start of the year minus the
hours of the КТП's topics up to the furthest one taught (positive: the class is behind its plan).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Max, Q
from django.utils import timezone

from ejournal.control.common import rules_of_schools
from ejournal.control.indicators import HELD, density_mark_pairs
from ejournal.curriculum.models import TeachingAssignment
from ejournal.journal.averages import density_required
from ejournal.journal.models import LessonNote, PlannedTopic
from ejournal.people.models import SubgroupMembership
from ejournal.schools.models import School
from ejournal.timetable.models import Lesson

from .achievement import roster
from .periods import Period


@dataclass
class DeliveryRow:
    assignment_id: int
    class_label: str
    subgroup: str
    subject: str
    teacher: str
    planned: int
    given: int
    ktp_hours: int | None
    lag: int | None

    @property
    def behind(self) -> int:
        return max(self.planned_to_date - self.given, 0)

    planned_to_date: int = 0


def _name(last: str, first: str, middle: str) -> str:
    return " ".join(p for p in (last, first, middle) if p)


def delivery_build(school: School, period: Period, class_ids: list[int] | None = None) -> list[DeliveryRow]:
    """One row per assignment with lessons in the period; four queries."""
    today = min(timezone.localdate(), period.last)
    lessons = Lesson.objects.filter(school=school, date__gte=period.year.starts_on, date__lte=period.last,
                                    school_class__grade__gte=period.min_grade,
                                    school_class__grade__lte=period.max_grade)  # fmt: skip
    if class_ids is not None:
        lessons = lessons.filter(school_class_id__in=class_ids)
    in_period = Q(date__gte=period.first, status__in=HELD)
    counts = {r["assignment_id"]: r for r in lessons.order_by().values("assignment_id").annotate(
        planned=Count("pk", filter=in_period),
        to_date=Count("pk", filter=in_period & Q(date__lte=today)),
        given=Count("pk", filter=in_period & Q(date__lte=today) & ~Q(topic="")),
        year_given=Count("pk", filter=Q(status__in=HELD, date__lte=today) & ~Q(topic="")),
    ) if r["planned"]}  # fmt: skip
    ids = list(counts)
    hours: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for t in PlannedTopic.objects.filter(plan__assignment_id__in=ids).values(
        "plan__assignment_id", "position", "hours"
    ):
        hours[t["plan__assignment_id"]].append((t["position"], t["hours"]))
    reached = dict(LessonNote.objects.filter(lesson__assignment_id__in=ids, lesson__date__lte=today,
                                             planned_topic__isnull=False)
                   .order_by().values("lesson__assignment_id").annotate(p=Max("planned_topic__position"))
                   .values_list("lesson__assignment_id", "p"))  # fmt: skip
    rows = []
    for a in TeachingAssignment.objects.filter(pk__in=ids).values_list(
        "pk", "school_class__grade", "school_class__letter", "subgroup__name", "subject__name",
        "teacher__last_name", "teacher__first_name", "teacher__middle_name",
    ):  # fmt: skip
        pk, grade, letter, subgroup, subject, last, first, middle = a
        c = counts[pk]
        plan = hours.get(pk)
        ktp_hours = sum(h for _p, h in plan) if plan else None
        lag = None
        if plan:
            covered = sum(h for p, h in plan if p <= reached.get(pk, 0))
            lag = c["year_given"] - covered
        rows.append(DeliveryRow(pk, f"{grade} «{letter}»", subgroup or "", subject, _name(last, first, middle),
                                c["planned"], c["given"], ktp_hours, lag, c["to_date"]))  # fmt: skip
    rows.sort(key=lambda r: (r.class_label, r.subject, r.subgroup))
    return rows


@dataclass
class DensityRow:
    student: str
    class_label: str
    subject: str
    teacher: str
    marks: int
    required: int


def density_build(school: School, period: Period, class_ids: list[int] | None = None) -> list[DensityRow]:
    """Students with fewer marks than the Regulation's norm in the term so far (none for the year)."""
    if period.term is None:
        return []
    day = period.day
    rules = rules_of_schools([school.pk])[school.pk]
    counts = density_mark_pairs([period.term], day)
    active = Q(starts_on__lte=day) & (Q(ends_on__isnull=True) | Q(ends_on__gte=day))
    enrolled: dict[int, tuple[int, str]] = {}  # student → (class, name); a student listed twice: the last row
    for sid, class_id, last, first, middle in roster(school, period, class_ids).values_list(
        "student_id", "school_class_id", "student__last_name", "student__first_name", "student__middle_name"
    ):  # fmt: skip
        enrolled[sid] = (class_id, _name(last, first, middle))
    by_class: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for sid, (class_id, name) in enrolled.items():
        by_class[class_id].append((sid, name))
    assignments = TeachingAssignment.objects.filter(active, school=school, school_class_id__in=set(by_class)).values_list(
        "pk", "school_class_id", "subgroup_id", "hours_per_week", "school_class__grade", "school_class__letter",
        "subject__name", "teacher__last_name", "teacher__first_name", "teacher__middle_name",
    )  # fmt: skip
    members = defaultdict(set)
    for subgroup_id, student_id in SubgroupMembership.objects.filter(active, school=school).values_list(
        "subgroup_id", "student_id"
    ):  # fmt: skip
        members[subgroup_id].add(student_id)
    rows = []
    for pk, class_id, subgroup_id, hours, grade, letter, subject, last, first, middle in assignments:
        required = density_required(hours, period.term.kind, rules)
        label, teacher = f"{grade} «{letter}»", None
        group = members[subgroup_id] if subgroup_id else None
        for sid, name in by_class[class_id]:
            if group is not None and sid not in group:
                continue
            n = counts.get((sid, pk), 0)
            if n < required:
                teacher = teacher or _name(last, first, middle)
                rows.append(DensityRow(name, label, subject, teacher, n, required))
    rows.sort(key=lambda r: (r.class_label, r.student, r.subject))
    return rows
