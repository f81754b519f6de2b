"""Dated lessons from the weekly timetable: set-based, idempotent, never losing a lesson with data.

A lesson "has data" when the journal wrote into it (topic, `has_records`) or
the deputy head changed it (substitute, cancelled, moved): such a lesson is
never deleted or rewritten; when the timetable no longer has it, it is kept
and reported as a conflict. Extra lessons and the new lessons of a move are
the deputy head's and are not touched; a lesson whose entry was deleted is
treated as one the timetable no longer has.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.utils.translation import gettext as _

from ejournal.access.policy import Actor
from ejournal.core.audit import audit_record
from ejournal.core.bulk import rows_insert
from ejournal.curriculum.models import TeachingAssignment
from ejournal.schools.models import AcademicYear, School

from ..calendar import SchoolCalendar, current_year, parity_matches
from ..models import GenerationRun, Lesson, TimetableEntry

BATCH = 5000
HAS_DATA = ~Q(topic="") | Q(has_records=True) | ~Q(status=Lesson.Status.SCHEDULED) | Q(substitute__isnull=False)
# A timetable lesson whose entry was deleted (not an extra lesson, not the target of a move).
ORPHAN = Q(entry__isnull=True, status=Lesson.Status.SCHEDULED, moved_from__isnull=True)
# What regeneration may rewrite on a lesson without data.
PLANNED_FIELDS = ("assignment_id", "teacher_id", "room_id", "lesson_number", "subject_id", "subgroup_id")


@dataclass
class GenerationResult:
    created: int = 0
    updated: int = 0
    removed: int = 0
    kept: int = 0
    conflicts: list[dict] = field(default_factory=list)
    run: GenerationRun | None = None


def lessons_generate(*, school: School, date_from: dt.date, date_to: dt.date, actor: Actor) -> GenerationResult:
    """Make the school's lessons between two dates match its timetable, in one transaction.

    Creates missing lessons, deletes and updates lessons without data, keeps
    lessons with data (listing those the timetable no longer has as conflicts).
    Running it twice changes nothing the second time.
    """
    year = current_year(school)
    if year is None:
        raise ValidationError(_("Не задан текущий учебный год."))
    date_from, date_to = max(date_from, year.starts_on), min(date_to, year.ends_on)
    if date_to < date_from:
        raise ValidationError(_("Даты вне текущего учебного года."))
    with transaction.atomic():
        planned = _planned(school, year, date_from, date_to)
        result = _apply(school, planned, date_from, date_to)
        result.run = GenerationRun.objects.create(
            school=school,
            created_by_id=actor.user_id,
            date_from=date_from,
            date_to=date_to,
            created=result.created,
            updated=result.updated,
            removed=result.removed,
            kept=result.kept,
            conflicts=result.conflicts,
        )
        counts = {k: getattr(result, k) for k in ("created", "updated", "removed", "kept")}
        audit_record(actor=actor, action="lessons_generated", obj=result.run, changes={"counts": [None, counts]})
    return result


def _planned(school: School, year: AcademicYear, date_from: dt.date, date_to: dt.date) -> dict[tuple, tuple]:
    """(entry id, date) → the values of PLANNED_FIELDS + class, for every lesson the timetable asks for."""
    calendar = SchoolCalendar.load(school, year)
    entries = (
        TimetableEntry.objects.filter(school=school, year=year, valid_from__lte=date_to)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=date_from))
        .select_related("assignment", "school_class")
    )
    teachers = _assignment_rows(school, year)
    planned: dict[tuple, tuple] = {}
    for entry in entries:
        a = entry.assignment
        rows = teachers.get((a.school_class_id, a.subgroup_id, a.subject_id), [])
        first, last = max(date_from, entry.valid_from), min(date_to, entry.valid_to or date_to)
        for day in calendar.study_days(entry.school_class.grade, date_from, date_to).get(entry.weekday, ()):
            if first <= day <= last and parity_matches(entry.week_parity, day):
                assignment_id, teacher_id = _teacher_at(rows, day) or (a.pk, a.teacher_id)
                planned[(entry.pk, day)] = (
                    assignment_id, teacher_id, entry.room_id, entry.lesson_number, a.subject_id, a.subgroup_id,
                    entry.school_class_id,
                )  # fmt: skip
    return planned


def _assignment_rows(school: School, year: AcademicYear) -> dict[tuple, list[tuple]]:
    """Assignments keyed by (class, subgroup, subject): a reassignment ends one row and starts the next."""
    rows: dict[tuple, list[tuple]] = {}
    qs = TeachingAssignment.objects.filter(school=school, year=year).values_list(
        "school_class_id", "subgroup_id", "subject_id", "starts_on", "ends_on", "pk", "teacher_id"
    )
    for cls, sub, subj, starts, ends, pk, teacher in qs.order_by("starts_on", "pk"):
        rows.setdefault((cls, sub, subj), []).append((starts, ends, pk, teacher))
    return rows


def _teacher_at(rows: list[tuple], day: dt.date) -> tuple[int, int] | None:
    for starts, ends, pk, teacher in reversed(rows):
        if starts <= day and (ends is None or day <= ends):
            return pk, teacher
    return None


def _apply(school: School, planned: dict, date_from: dt.date, date_to: dt.date) -> GenerationResult:
    result = GenerationResult()
    existing = (
        Lesson.objects.filter(school=school, date__range=(date_from, date_to))
        .filter(Q(entry__isnull=False) | ORPHAN)
        .annotate(with_data=ExpressionWrapper(HAS_DATA, output_field=BooleanField()))
        .values_list("pk", "entry_id", "date", "with_data", *PLANNED_FIELDS)
    )
    to_delete, to_update, kept_ids = [], [], []
    for pk, entry_id, day, with_data, *current in existing.iterator(chunk_size=BATCH):
        wanted = planned.pop((entry_id, day), None)
        if with_data:
            result.kept += 1
            if wanted is None:
                kept_ids.append(pk)
        elif wanted is None:
            to_delete.append(pk)
        elif tuple(current) != wanted[: len(PLANNED_FIELDS)]:
            to_update.append(Lesson(pk=pk, **dict(zip(PLANNED_FIELDS, wanted, strict=False))))
    for start in range(0, len(to_delete), BATCH):
        Lesson.objects.filter(pk__in=to_delete[start : start + BATCH]).delete()
    Lesson.objects.bulk_update(to_update, [f.removesuffix("_id") for f in PLANNED_FIELDS], batch_size=BATCH)
    result.removed, result.updated = len(to_delete), len(to_update)
    result.created = _create(school, planned)
    result.conflicts = _conflicts(kept_ids)
    return result


def _create(school: School, planned: dict) -> int:
    """Insert the planned lessons that do not exist yet (COPY on PostgreSQL)."""
    rows = (
        {
            "school_id": school.pk, "entry_id": entry_id, "date": day, "assignment_id": assignment,
            "teacher_id": teacher, "room_id": room, "lesson_number": number, "subject_id": subject,
            "subgroup_id": subgroup, "school_class_id": cls,
        }
        for (entry_id, day), (assignment, teacher, room, number, subject, subgroup, cls) in planned.items()
    )  # fmt: skip
    return rows_insert(Lesson, rows)


def _conflicts(ids: list[int]) -> list[dict]:
    """Describe the kept lessons the timetable no longer has, for the deputy head."""
    out = []
    lessons = Lesson.objects.filter(pk__in=ids).select_related("school_class", "subject", "teacher")
    for lesson in lessons.order_by("date", "lesson_number", "pk"):
        out.append(
            {
                "lesson": lesson.pk,
                "date": lesson.date.strftime("%d.%m.%Y"),
                "number": lesson.lesson_number,
                "class": str(lesson.school_class),
                "subject": str(lesson.subject),
                "teacher": lesson.teacher.get_full_name(),
                "reason": _lesson_data_reason(lesson),
            }
        )
    return out


def _lesson_data_reason(lesson: Lesson) -> str:
    if lesson.status != Lesson.Status.SCHEDULED:
        return _("урок изменён: %(status)s") % {"status": lesson.get_status_display()}
    if lesson.substitute_id:
        return _("назначена замена")
    return _("в уроке есть записи журнала")


def lessons_generate_year(*, school: School, actor: Actor) -> GenerationResult:
    """Generate the whole current year of one school in one transaction (what a city-wide benchmark calls per school)."""
    year = current_year(school)
    if year is None:
        raise ValidationError(_("Не задан текущий учебный год."))
    return lessons_generate(school=school, date_from=year.starts_on, date_to=year.ends_on, actor=actor)
