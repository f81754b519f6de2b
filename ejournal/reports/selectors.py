"""Reads of the school reports, scoped to the acting director, deputy head or class teacher."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from ejournal.access.policy import Actor, enforce
from ejournal.access.roles import Role
from ejournal.journal.models import PeriodKind, PeriodMark
from ejournal.people.models import Enrolment, Student
from ejournal.schools.models import School, SchoolClass, Term

from .achievement import Achievement, achievement_build
from .attendance import ClassAttendance, attendance_build
from .formulas import Figures
from .periods import Period, period_choose, school_periods
from .programme import DeliveryRow, DensityRow, delivery_build, density_build


def report_school(*, actor: Actor) -> School:
    school = School.objects.filter(pk=actor.school_id).first() if actor.school_id else None
    if school is None:
        raise Http404
    enforce(actor, "can_view_school_reports", SimpleNamespace(school_id=school.pk))
    return school


def report_class(*, actor: Actor, pk: int) -> SchoolClass:
    """A class the actor may report on; another school's class is 404, a class not led is 403."""
    cls = get_object_or_404(SchoolClass.objects.select_related("school", "year", "class_teacher"),
                            pk=pk, school_id=actor.school_id)  # fmt: skip
    enforce(actor, "can_view_class_reports", cls)
    return cls


def report_classes(*, actor: Actor) -> list[SchoolClass]:
    """The classes of the current year the actor reports on: all for the administration, the led ones otherwise."""
    classes = SchoolClass.objects.filter(school=actor.school_id, year__is_current=True).order_by("grade", "letter")
    if actor.role not in (Role.DIRECTOR, Role.DEPUTY_HEAD):
        classes = classes.filter(pk__in=actor.led_class_ids)
    return list(classes)


def report_periods(*, school: School, key: str | None, grade: int | None = None) -> tuple[list[Period], Period | None]:
    periods = school_periods(school)
    if grade is not None:
        periods = [p for p in periods if p.min_grade <= grade <= p.max_grade]
    return periods, period_choose(periods, key)


def school_achievement(*, school: School, period: Period, class_ids: list[int] | None = None) -> Achievement:
    return achievement_build(school, period, class_ids)


def previous_achievement(*, school: School, period: Period, class_ids: list[int] | None = None) -> Achievement | None:
    """The same figures for the previous term of the same kind (dynamics); None for the first term and the year."""
    if period.previous is None:
        return None
    t = period.previous
    previous = Period(key=f"t{t.pk}", label=str(t), year=period.year, first=t.starts_on, last=t.ends_on,
                      min_grade=t.min_grade, max_grade=t.max_grade, term=t)  # fmt: skip
    return achievement_build(school, previous, class_ids)


def school_attendance(*, school: School, period: Period, class_ids: list[int] | None = None) -> list[ClassAttendance]:
    return attendance_build(school, period, class_ids)


def school_delivery(*, school: School, period: Period, class_ids: list[int] | None = None) -> list[DeliveryRow]:
    return delivery_build(school, period, class_ids)


def school_density(*, school: School, period: Period, class_ids: list[int] | None = None) -> list[DensityRow]:
    return density_build(school, period, class_ids)


def class_student(*, actor: Actor, school_class: SchoolClass, pk: int) -> Student:
    """A student enrolled in the class at some time of the year (the letter's addressee)."""
    return get_object_or_404(Student.objects.filter(enrolments__school_class=school_class).distinct(), pk=pk)


def summary_sheet(*, school_class: SchoolClass) -> dict:
    """Сводная ведомость: every period mark of the class's students of the year, by student and subject.

    Students who were in the class at any time of the year are listed (the left ones marked); three queries.
    """
    from ejournal.curriculum.models import Subject

    terms = list(Term.objects.filter(school_id=school_class.school_id, year_id=school_class.year_id,
                                     min_grade__lte=school_class.grade, max_grade__gte=school_class.grade)
                 .order_by("starts_on"))  # fmt: skip
    enrolments = (Enrolment.objects.filter(school_class=school_class).select_related("student")
                  .order_by("student__last_name", "student__first_name", "starts_on"))  # fmt: skip
    students: dict[int, dict] = {}
    for e in enrolments:
        s = e.student
        students[s.pk] = {"id": s.pk, "name": " ".join(p for p in (s.last_name, s.first_name, s.middle_name) if p),
                          "left": e.ends_on, "marks": {}}  # fmt: skip
    marks = PeriodMark.objects.filter(school_id=school_class.school_id, year_id=school_class.year_id,
                                      student_id__in=list(students)).filter(
        Q(kind=PeriodKind.TERM, term__in=terms) | ~Q(kind=PeriodKind.TERM))  # fmt: skip
    subject_ids = set()
    for m in marks.values("student_id", "subject_id", "kind", "term_id", "value"):
        column = f"t{m['term_id']}" if m["kind"] == PeriodKind.TERM else m["kind"]
        students[m["student_id"]]["marks"][(m["subject_id"], column)] = m["value"]
        subject_ids.add(m["subject_id"])
    subjects = list(Subject.objects.filter(pk__in=subject_ids).order_by("position", "name")
                    .values("id", "name", "short_name"))  # fmt: skip
    columns = [(f"t{t.pk}", str(t.number)) for t in terms] + [
        (PeriodKind.YEAR.value, "год"), (PeriodKind.EXAM.value, "экз"), (PeriodKind.FINAL.value, "итог")]  # fmt: skip
    titles = {f"t{t.pk}": str(t) for t in terms} | {
        PeriodKind.YEAR.value: _("Годовые отметки"), PeriodKind.EXAM.value: _("Экзаменационные отметки"),
        PeriodKind.FINAL.value: _("Итоговые отметки")}  # fmt: skip
    rows = []
    for row in students.values():
        rows.append(
            {**row, "subjects": [[row["marks"].get((sub["id"], key), "") for key, _l in columns] for sub in subjects]}
        )
    # The printed form: one table per period (students × subjects); a period without any mark is left out.
    periods = []
    for key, _label in columns:
        table = [(s, [s["marks"].get((sub["id"], key), "") for sub in subjects]) for s in students.values()]
        if any(v for _s, marks in table for v in marks):
            periods.append({"title": titles[key], "rows": table})
    return {"terms": terms, "columns": columns, "subjects": subjects, "students": rows, "periods": periods}


def at_risk_subjects(*, school_class: SchoolClass, student: Student, period: Period) -> list[tuple[str, str]]:
    """The subjects where the student's period mark (or, before it is set, nothing) is a fail or «н/а»."""
    from ejournal.curriculum.models import Subject

    marks = PeriodMark.objects.filter(student=student, school_id=school_class.school_id)
    marks = marks.filter(kind=PeriodKind.YEAR, year=period.year) if period.term is None else marks.filter(
        kind=PeriodKind.TERM, term=period.term)  # fmt: skip
    names = dict(Subject.objects.filter(pk__in=marks.values("subject_id")).values_list("id", "name"))
    return sorted((names[m.subject_id], m.value) for m in marks if m.value in ("1", "2", "н/а", "незач"))


def city_term_figures(*, school_ids: list[int], kind: str, number: int) -> dict[int, Figures]:
    """The city's figures of a term (its kind and number), per school, from the period marks in one grouped query.

    Counts by student category per school: the students' categories come from per-student aggregates (any
    fail, any «н/а», the lowest numeric mark) computed by the database; no student row reaches Python.
    """
    per_student = (
        PeriodMark.objects.filter(school_id__in=school_ids, kind=PeriodKind.TERM, term__kind=kind,
                                  term__number=number).exclude(value="осв")
        .filter(Exists(Enrolment.objects.filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=OuterRef("term__ends_on")),
            student_id=OuterRef("student_id"), starts_on__lte=OuterRef("term__ends_on"))))
        .order_by().values("school_id", "student_id")
        .annotate(fail=Count("pk", filter=Q(value__in=["1", "2", "незач"])),
                  na=Count("pk", filter=Q(value="н/а")),
                  n3=Count("pk", filter=Q(value__in=["3", "зач"])), n4=Count("pk", filter=Q(value="4")),
                  n=Count("pk"))
    )  # fmt: skip
    return _city_categories(per_student)


def _city_categories(per_student: QuerySet[PeriodMark, Any]) -> dict[int, Figures]:
    from django.db import connection

    sql, params = per_student.query.sql_with_params()
    # Classify each student inside the database and count per school: one more level of grouping. `sql` is
    # Django's own compiled query; its values stay in `params`.
    head = (
        "SELECT s.school_id, CASE WHEN s.fail > 0 THEN '2' WHEN s.na > 0 THEN 'na' WHEN s.n3 > 0 THEN '3' "
        "WHEN s.n4 > 0 THEN '4' ELSE '5' END AS cat, COUNT(*) FROM ("
    )
    outer = f"{head}{sql}) s GROUP BY 1, 2"
    out: dict[int, Figures] = {}
    with connection.cursor() as cursor:
        cursor.execute(outer, params)
        for school_id, cat, n in cursor.fetchall():
            out.setdefault(school_id, Figures()).counts[cat] += n
    return out
