"""The curriculum (учебный план) of a grade and the five- or six-day study week."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ejournal.access.policy import Actor
from ejournal.core.audit import audit_record
from ejournal.schools.models import School, StudyWeek
from ejournal.schools.services import year_current_of

from ..models import CurriculumLine, Subject
from ..rules import MAX_HOURS_PER_LINE, is_half_step


def hours_check(hours: Decimal) -> None:
    """Weekly hours: a positive multiple of 0.5, at most the per-line maximum."""
    if not is_half_step(hours) or hours > MAX_HOURS_PER_LINE:
        raise ValidationError(
            _("Часы в неделю указываются с шагом 0,5: от 0,5 до %(max)s, а не %(value)s.")
            % {"max": MAX_HOURS_PER_LINE, "value": hours}
        )


def grade_check(school: School, grade: int) -> None:
    if not 1 <= grade <= min(11, school.max_grade):
        raise ValidationError(_("Параллель — от 1 до %(max)s.") % {"max": min(11, school.max_grade)})


@transaction.atomic
def curriculum_grade_set(*, school: School, grade: int, lines: dict[int, tuple], actor: Actor) -> int:
    """Set the weekly hours of a grade: {subject id: (hours or None to remove, in subgroups[, has an exam])}.

    Validates every line before writing any; returns how many lines changed. Without the exam flag a line
    keeps the one it has (a new line has no exam).
    """
    year = year_current_of(school)
    grade_check(school, grade)
    existing = {line.subject_id: line for line in CurriculumLine.objects.filter(school=school, year=year, grade=grade)}
    offered = set(
        Subject.objects.filter(Q(school__isnull=True) | Q(school=school), is_active=True).values_list("id", flat=True)
    )
    for subject_id, (hours, *_flags) in lines.items():
        if subject_id not in offered and subject_id not in existing:
            raise ValidationError(_("Предмет не найден в перечне школы."))
        if hours:
            hours_check(hours)
    changed = 0
    for subject_id, (hours, in_subgroups, *exam) in lines.items():
        line = existing.get(subject_id)
        has_exam = bool(exam[0]) if exam else bool(line and line.has_exam)
        if not hours:
            if line is not None:
                audit_record(actor=actor, action="curriculum_line_delete", obj=line, changes=_line_changes(line, None))
                line.delete()
                changed += 1
            continue
        if line is None:
            line = CurriculumLine.objects.create(
                school=school, year=year, grade=grade, subject_id=subject_id, hours_per_week=hours,
                in_subgroups=in_subgroups, has_exam=has_exam,
            )  # fmt: skip
            audit_record(actor=actor, action="curriculum_line_create", obj=line, changes=_line_changes(None, line))
            changed += 1
        elif (line.hours_per_week, line.in_subgroups, line.has_exam) != (hours, in_subgroups, has_exam):
            before = CurriculumLine(
                hours_per_week=line.hours_per_week, in_subgroups=line.in_subgroups, has_exam=line.has_exam
            )
            line.hours_per_week, line.in_subgroups, line.has_exam = hours, in_subgroups, has_exam
            line.save(update_fields=["hours_per_week", "in_subgroups", "has_exam"])
            audit_record(actor=actor, action="curriculum_line_update", obj=line, changes=_line_changes(before, line))
            changed += 1
    return changed


def _line_changes(old: CurriculumLine | None, new: CurriculumLine | None) -> dict:
    return {
        name: [getattr(old, name, None), getattr(new, name, None)]
        for name in ("hours_per_week", "in_subgroups", "has_exam")
        if getattr(old, name, None) != getattr(new, name, None)
    }


# --- the study week -----------------------------------------------------------------------


@transaction.atomic
def study_week_set(*, school: School, days_by_grade: dict[int, int], actor: Actor) -> int:
    """Set five or six study days per grade; stored as bands of consecutive grades. Returns the bands."""
    year = year_current_of(school)
    for grade, days in days_by_grade.items():
        grade_check(school, grade)
        if days not in (5, 6):
            raise ValidationError(_("Учебная неделя — пять или шесть дней."))
    if days_by_grade.get(1) == 6:
        raise ValidationError(_("Первый класс учится только по пятидневной неделе."))
    bands: list[list[int]] = []  # [min grade, max grade, days]
    for grade in sorted(days_by_grade):
        days = days_by_grade[grade]
        if bands and bands[-1][2] == days and bands[-1][1] == grade - 1:
            bands[-1][1] = grade
        else:
            bands.append([grade, grade, days])
    model = StudyWeek
    old = {(w.min_grade, w.max_grade): w.days for w in model.objects.filter(school=school, year=year)}
    new = {(low, high): days for low, high, days in bands}
    if old != new:
        model.objects.filter(school=school, year=year).delete()
        model.objects.bulk_create(
            model(school=school, year=year, min_grade=low, max_grade=high, days=days) for low, high, days in bands
        )
        changes = {"bands": [_bands_text(old), _bands_text(new)]}
        audit_record(actor=actor, action="study_week_set", obj=school, school_id=school.pk, changes=changes)
    return len(bands)


def _bands_text(bands: dict[tuple[int, int], int]) -> str:
    return ", ".join(f"{low}–{high}: {days}" for (low, high), days in sorted(bands.items()))
