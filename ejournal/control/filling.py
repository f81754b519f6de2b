"""Filling control of one school's journal by its Regulation (REQUIREMENTS §2, §3): who owes what.

`school_filling_control` reads a school and a period in a constant number of
queries and lists findings per teacher, class and subject. Definitions are
those of the monthly indicators (`indicators/`), reused, not repeated:

- lessons: held lessons of the period up to today; a lesson is reported only
  when its deadline (the lesson day plus the Regulation's grace days) has passed;
- topic: no topic, or written after the deadline; homework: none, or published
  after the deadline; attendance: the lesson has no attendance row and was not
  kept in the journal by the deadline (no change record of any kind);
- marks entered late: `ChangeRecord.is_late` on the mark's creation;
- mark density: students of a term still in progress below the Regulation's
  minimum of marks so far (counted per teacher, class and subject);
- term marks: students without a term mark once the term has ended and the
  Regulation's grace days have passed (terms that ended in the period, and the
  latest ended one of each band of grades);
- consistency: a mark for a student marked absent (н, б, уп) at that lesson;
  a lesson held on a holiday or vacation day; homework published after the
  lesson day.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ejournal.accounts.models import User
from ejournal.curriculum.models import Subject, TeachingAssignment
from ejournal.journal.averages import density_required
from ejournal.journal.models import Attendance, AttendanceCode, Mark, PeriodMark
from ejournal.people.models import Enrolment, Student, SubgroupMembership
from ejournal.schools.models import Holiday, School, SchoolClass, Term

from .common import rules_of_schools
from .indicators import (
    attendance_kept,
    density_mark_rows,
    has_attendance,
    held_lessons,
    homework_day,
    kept_day,
    mark_entered_late,
    on_time,
    topic_day,
)

ABSENT_CODES = (AttendanceCode.ABSENT, AttendanceCode.ILL, AttendanceCode.EXCUSED)


class Kind:
    TOPIC = "topic"
    HOMEWORK = "homework"
    ATTENDANCE = "attendance"
    MARK_LATE = "mark_late"
    DENSITY = "density"
    TERM_MARK = "term_mark"
    MARK_ABSENT = "mark_absent"
    HOLIDAY = "holiday"
    HOMEWORK_AFTER = "homework_after"


# In the order of the dashboard's columns and of the справка.
KINDS = {
    Kind.TOPIC: _("Тема урока не записана в срок"),
    Kind.HOMEWORK: _("Домашнее задание не выдано в срок"),
    Kind.ATTENDANCE: _("Посещаемость не отмечена в срок"),
    Kind.MARK_LATE: _("Отметки выставлены после срока"),
    Kind.DENSITY: _("Ниже нормы накопляемости отметок"),
    Kind.TERM_MARK: _("Нет отметки за период"),
    Kind.MARK_ABSENT: _("Отметка отсутствовавшему ученику"),
    Kind.HOLIDAY: _("Урок в праздничный или каникулярный день"),
    Kind.HOMEWORK_AFTER: _("Домашнее задание опубликовано после дня урока"),
}
LESSON_KINDS = (Kind.TOPIC, Kind.HOMEWORK, Kind.ATTENDANCE, Kind.MARK_LATE, Kind.MARK_ABSENT, Kind.HOLIDAY,
                Kind.HOMEWORK_AFTER)  # fmt: skip
GROUPINGS = ("teacher", "class", "subject")


@dataclass(frozen=True)
class Finding:
    """One thing owed: a lesson's missing entry (count = marks for mark kinds) or a student's missing mark."""

    kind: str
    teacher_id: int
    class_id: int
    subject_id: int
    assignment_id: int
    term_id: int | None
    lesson_id: int | None = None
    lesson_date: dt.date | None = None
    lesson_number: int | None = None
    student_id: int | None = None
    count: int = 1
    required: int | None = None


@dataclass
class FillingReport:
    school: School
    first: dt.date
    last: dt.date
    lessons_total: int
    findings: list[Finding]
    names: dict[str, dict[int, str]] = field(default_factory=dict)
    students: dict[int, str] = field(default_factory=dict)

    def totals(self) -> dict[str, int]:
        out: Counter[str] = Counter()
        for f in self.findings:
            out[f.kind] += f.count
        return {kind: out[kind] for kind in KINDS}

    def table(self, by: str) -> list[dict]:
        """Rows of counts per kind for each teacher, class or subject with findings, largest total first."""
        counts: dict[int, Counter] = defaultdict(Counter)
        for f in self.findings:
            counts[_key(f, by)][f.kind] += f.count
        rows = [
            {"id": key, "label": self.names[by].get(key, "—"), "cells": [c[k] for k in KINDS], "total": sum(c.values())}
            for key, c in counts.items()
        ]
        return sorted(rows, key=lambda r: (-r["total"], r["label"]))

    def select(self, *, teacher: int | None = None, school_class: int | None = None, subject: int | None = None,
               kind: str | None = None) -> list[Finding]:  # fmt: skip
        return [
            f for f in self.findings
            if (teacher is None or f.teacher_id == teacher) and (school_class is None or f.class_id == school_class)
            and (subject is None or f.subject_id == subject) and (kind is None or f.kind == kind)
        ]  # fmt: skip

    def details(self, *, teacher: int | None = None) -> list[dict]:
        """The findings grouped for reading: per teacher (most first), per kind, per class and subject.

        The справка's second part: a paragraph of dates (or of students) per class and subject, not a row per
        finding, so that a school's year reads (and prints) in a few pages per teacher. One query (names).
        """
        chosen = self.select(teacher=teacher)
        students = students_of(chosen)
        grouped: dict[int, dict[str, dict[tuple[int, int], list]]] = defaultdict(lambda: defaultdict(dict))
        for f in chosen:
            groups = grouped[f.teacher_id][f.kind]
            groups.setdefault((f.class_id, f.subject_id), []).append(
                (f, students.get(f.student_id, "") if f.student_id else "")
            )
        rows = self.table("teacher")
        order, totals = {row["id"]: n for n, row in enumerate(rows)}, {row["id"]: row["total"] for row in rows}
        return [
            {"id": tid, "label": self.names["teacher"].get(tid, "—"), "total": totals.get(tid, 0),
             "kinds": [{"label": KINDS[kind], "groups": [
                 {"class": self.names["class"].get(c, ""), "subject": self.names["subject"].get(s, ""),
                  "items": items, "students": kind not in LESSON_KINDS, "norm": _one_norm(items)}
                 for (c, s), items in sorted(kinds[kind].items(), key=lambda kv: self._group_order(kv[0]))]}
                 for kind in KINDS if kind in kinds]}
            for tid, kinds in sorted(grouped.items(), key=lambda kv: order.get(kv[0], 0))
        ]  # fmt: skip

    def _group_order(self, key: tuple[int, int]) -> tuple[str, str]:
        return self.names["class"].get(key[0], ""), self.names["subject"].get(key[1], "")


def _one_norm(items: list) -> int | None:
    """The density norm shared by a group's students (said once), None when there is none or they differ."""
    norms = {f.required for f, _name in items}
    return norms.pop() if len(norms) == 1 else None


def _key(f: Finding, by: str) -> int:
    return {"teacher": f.teacher_id, "class": f.class_id, "subject": f.subject_id}[by]


def _term_of(terms: list[Term], day: dt.date, grade: int) -> Term | None:
    for t in terms:
        if t.starts_on <= day <= t.ends_on and t.min_grade <= grade <= t.max_grade:
            return t
    return None


def _lesson_findings(school: School, first: dt.date, last: dt.date, rules, terms: list[Term], today: dt.date):
    """Findings on the lessons of the period: three queries (lessons, marks per lesson, holidays)."""
    lessons = list(
        held_lessons([school.pk], first, last)
        .annotate(t_day=topic_day(), h_day=homework_day(), k_day=kept_day(), has_row=has_attendance())
        .select_related("school_class")
        .order_by("date", "lesson_number", "id")
    )
    absent = Attendance.objects.filter(lesson_id=OuterRef("lesson_id"), student_id=OuterRef("student_id"),
                                       code__in=ABSENT_CODES)  # fmt: skip
    marks = {
        row["lesson_id"]: row
        for row in Mark.objects.filter(lesson__in=held_lessons([school.pk], first, last))
        .values("lesson_id")
        .annotate(late=Count("id", filter=Q(mark_entered_late())), absent=Count("id", filter=Q(Exists(absent))))
    }
    city_wide = Q(school__isnull=True, municipality_id=school.municipality_id)
    holidays = list(Holiday.objects.filter(Q(school=school) | city_wide, starts_on__lte=last, ends_on__gte=first))
    out = []
    for lesson in lessons:
        grade = lesson.school_class.grade
        term = _term_of(terms, lesson.date, grade)
        base = Finding(
            kind="", teacher_id=lesson.substitute_id or lesson.teacher_id, class_id=lesson.school_class_id,
            subject_id=lesson.subject_id, assignment_id=lesson.assignment_id, term_id=term.pk if term else None,
            lesson_id=lesson.pk, lesson_date=lesson.date, lesson_number=lesson.lesson_number,
        )  # fmt: skip
        kinds: list[tuple[str, int]] = []
        same_day_passed = today > lesson.date + dt.timedelta(days=rules.same_day_grace_days)
        if same_day_passed and not (lesson.topic and on_time(lesson.t_day, lesson.date, rules.same_day_grace_days)):
            kinds.append((Kind.TOPIC, 1))
        if today > lesson.date + dt.timedelta(days=rules.homework_grace_days) and not on_time(
            lesson.h_day, lesson.date, rules.homework_grace_days
        ):
            kinds.append((Kind.HOMEWORK, 1))
        if same_day_passed and not attendance_kept(
            lesson.has_row, lesson.k_day, lesson.date, rules.same_day_grace_days
        ):
            kinds.append((Kind.ATTENDANCE, 1))
        m = marks.get(lesson.pk, {"late": 0, "absent": 0})
        kinds += [(k, n) for k, n in ((Kind.MARK_LATE, m["late"]), (Kind.MARK_ABSENT, m["absent"])) if n]
        if any(h.starts_on <= lesson.date <= h.ends_on and h.min_grade <= grade <= h.max_grade for h in holidays):
            kinds.append((Kind.HOLIDAY, 1))
        if lesson.h_day is not None and lesson.h_day > lesson.date:
            kinds.append((Kind.HOMEWORK_AFTER, 1))
        out += [dataclasses.replace(base, kind=k, count=n) for k, n in kinds]
    return out, len(lessons)


def _active(rows, day: dt.date):
    return [r for r in rows if r.starts_on <= day and (r.ends_on is None or r.ends_on >= day)]


class _Roster:
    """Assignments and who each one teaches on a day: three queries for the whole period."""

    def __init__(self, school: School, first: dt.date, last: dt.date):
        overlap = Q(starts_on__lte=last) & (Q(ends_on__isnull=True) | Q(ends_on__gte=first))
        self.assignments = list(
            TeachingAssignment.objects.filter(overlap, school=school).select_related("school_class")
        )
        self.enrolments = defaultdict(list)
        for e in Enrolment.objects.filter(overlap, school=school):
            self.enrolments[e.school_class_id].append(e)
        self.members = defaultdict(list)
        for m in SubgroupMembership.objects.filter(overlap, school=school):
            self.members[m.subgroup_id].append(m)

    def pairs(self, term: Term, day: dt.date):
        """(assignment, student id) taught on `day` in the grades of `term`."""
        for a in _active(self.assignments, day):
            if not term.min_grade <= a.school_class.grade <= term.max_grade:
                continue
            rows = self.members[a.subgroup_id] if a.subgroup_id else self.enrolments[a.school_class_id]
            for r in _active(rows, day):
                yield a, r.student_id


def _finding(kind: str, a: TeachingAssignment, term: Term, student_id: int, required: int | None = None) -> Finding:
    return Finding(kind=kind, teacher_id=a.teacher_id, class_id=a.school_class_id, subject_id=a.subject_id,
                   assignment_id=a.pk, term_id=term.pk, student_id=student_id, required=required)  # fmt: skip


def _density_findings(school, terms, roster, rules, today, last):
    """Students below the mark density in terms still in progress: one query."""
    day = min(today, last)
    current = [t for t in terms if t.starts_on <= day <= t.ends_on]
    if not current:
        return []
    counts = {(r["student_id"], r["lesson__assignment_id"]): r["n"] for r in density_mark_rows(current, day)}
    out = []
    for term in current:
        for a, student_id in roster.pairs(term, day):
            required = density_required(a.hours_per_week, term.kind, rules)
            if counts.get((student_id, a.pk), 0) < required:
                out.append(_finding(Kind.DENSITY, a, term, student_id, required))
    return out


def _ended_terms(terms: list[Term], first: dt.date, last: dt.date, today: dt.date, grace: int) -> list[Term]:
    ended = [t for t in terms if t.ends_on <= last and t.ends_on + dt.timedelta(days=grace) < today]
    latest: dict[tuple[int, int], Term] = {}
    for t in ended:
        band = (t.min_grade, t.max_grade)
        if band not in latest or latest[band].ends_on < t.ends_on:
            latest[band] = t
    return [t for t in ended if t.ends_on >= first or latest[(t.min_grade, t.max_grade)] == t]


def _term_mark_findings(school, terms, roster, rules, first, last, today):
    """Students without a term mark after the term's end (plus grace): one query."""
    ended = _ended_terms(terms, first, last, today, rules.period_mark_grace_days)
    if not ended:
        return []
    have = set(
        PeriodMark.objects.filter(school=school, kind="term", term__in=ended).values_list("student_id", "subject_id",
                                                                                         "term_id")
    )  # fmt: skip
    out, seen = [], set()
    for term in ended:
        for a, student_id in roster.pairs(term, term.ends_on):
            key = (student_id, a.subject_id, term.pk)
            if key not in have and key not in seen:
                seen.add(key)
                out.append(_finding(Kind.TERM_MARK, a, term, student_id))
    return out


def _names(findings: list[Finding]) -> dict[str, dict[int, str]]:
    teachers = {f.teacher_id for f in findings}
    classes = {f.class_id for f in findings}
    subjects = {f.subject_id for f in findings}
    return {
        "teacher": {u.pk: u.get_full_name() for u in User.objects.filter(pk__in=teachers)},
        "class": {c.pk: str(c) for c in SchoolClass.objects.filter(pk__in=classes)},
        "subject": {s.pk: s.name for s in Subject.objects.filter(pk__in=subjects)},
    }


def school_filling_control(*, school: School, first: dt.date, last: dt.date) -> FillingReport:
    """Compute the findings of `school` for the period (up to today) in a constant number of queries."""
    today = timezone.localdate()
    last_seen = min(last, today)
    rules = rules_of_schools([school.pk])[school.pk]
    terms = list(Term.objects.filter(school=school, starts_on__lte=last_seen).order_by("starts_on"))
    findings, lessons_total = ([], 0)
    if first <= last_seen:
        findings, lessons_total = _lesson_findings(school, first, last_seen, rules, terms, today)
        roster = _Roster(school, min([first, *(t.starts_on for t in terms)]), last_seen)
        findings += _density_findings(school, terms, roster, rules, today, last_seen)
        findings += _term_mark_findings(school, terms, roster, rules, first, last_seen, today)
    return FillingReport(school=school, first=first, last=last, lessons_total=lessons_total, findings=findings,
                         names=_names(findings))  # fmt: skip


def students_of(findings: list[Finding]) -> dict[int, str]:
    """Names of the students of the findings: one query."""
    ids = {f.student_id for f in findings if f.student_id}
    return {s.pk: s.full_name for s in Student.objects.filter(pk__in=ids)}
