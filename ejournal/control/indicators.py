"""The monthly indicators of a school for the city's report (REQUIREMENTS §6), for many schools at once.

`school_month_indicators` answers in a constant number of queries whatever
the number of schools: every figure is a grouped aggregate. Definitions:

- lessons: dated lessons of the month, held (scheduled or extra; cancelled and
  moved ones do not count), not later than today;
- teachers active: teachers who held (as the teacher or the substitute) a
  lesson of the month that the journal holds an entry of — a topic, homework,
  a mark or an attendance row; read from those rows themselves, not from the
  change log, so data loaded in bulk counts as well as data typed in;
- topic on time: a topic whose entry (`LessonNote.topic_set_at`) falls on the
  lesson day plus the Regulation's grace days; homework on time: published by
  the end of the lesson day plus grace;
- with attendance: the lesson has an attendance row (an absence or lateness;
  rows carry no entry time), or — since a present student has no row — it was
  kept in the journal on its day (a first change record of any kind by the end
  of the lesson day plus grace); `attendance_kept` decides both here and in
  the filling control;
- marks per student: marks of the month's lessons / students in the system;
- marks late: marks of the month whose entry the journal recorded as after
  its deadline (`ChangeRecord.is_late`, with the written-work deadlines);
- density norm met: (student, subject) pairs of the term in progress at the
  end of the month (or that ended in it) whose marks so far reach the norm;
- guardians logged in: successful sign-ins recorded by django-axes' access
  log (`axes.models.AccessLog`, kept with `AXES_DISABLE_ACCESS_LOG` off).
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from decimal import Decimal

from axes.models import AccessLog
from django.conf import settings
from django.db import connection, connections, transaction
from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, IntegerField, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from ejournal.access.roles import Role
from ejournal.curriculum.models import TeachingAssignment
from ejournal.journal.averages import density_required
from ejournal.journal.models import Attendance, ChangeRecord, Homework, Mark
from ejournal.people.models import Enrolment, GuardianLink, RoleAssignment
from ejournal.schools.models import SchoolClass, Term
from ejournal.timetable.models import Lesson

from .common import month_bounds, percent, ratio, rules_of_schools

HELD = (Lesson.Status.SCHEDULED, Lesson.Status.EXTRA)
# Memory for a statement's sorts and hashes: the term's mark counts of a district group ~10^5–10^6 rows.
AGGREGATE_WORK_MEM = "64MB"


@contextlib.contextmanager
def aggregate_plans():
    """On PostgreSQL outside a transaction, the block's statements run in one without JIT compilation and with
    more memory for sorts (`SET LOCAL`): the grouped counts' estimated costs set off JIT, whose compilation
    took longer than the execution (seconds per statement), and the term's counts spilled to disk.
    Inside a caller's transaction (tests, the stored figures' write) the session's settings stay as they are."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('jit', 'off', true), set_config('work_mem', %s, true)",
                           [AGGREGATE_WORK_MEM])  # fmt: skip
        yield


@dataclass(frozen=True)
class SchoolMonthIndicators:
    classes_in_system: int = 0
    students_in_system: int = 0
    teachers_with_accounts: int = 0
    teachers_active: int = 0
    guardians_with_access: int = 0
    guardians_logged_in: int = 0
    lessons_total: int = 0
    lessons_topic_on_time_pct: Decimal | None = None
    lessons_homework_on_time_pct: Decimal | None = None
    lessons_attendance_pct: Decimal | None = None
    marks_per_student: Decimal | None = None
    density_norm_met_pct: Decimal | None = None
    marks_late_pct: Decimal | None = None


def _active(first: dt.date, last: dt.date, prefix: str = "") -> Q:
    return (Q(**{f"{prefix}starts_on__isnull": True}) | Q(**{f"{prefix}starts_on__lte": last})) & (
        Q(**{f"{prefix}ends_on__isnull": True}) | Q(**{f"{prefix}ends_on__gte": first})
    )


def _by_school(rows, key: str = "n", by: str = "school_id") -> dict[int, int]:
    return {row[by]: row[key] for row in rows}


def _coverage(ids: list[int], first: dt.date, last: dt.date) -> dict[str, dict[int, int]]:
    """Classes, students, teachers with accounts, guardians: four grouped queries (active teachers: `_filling`)."""
    classes = SchoolClass.objects.filter(school_id__in=ids, year__starts_on__lte=last, year__ends_on__gte=first)
    students = Enrolment.objects.filter(_active(first, last), school_id__in=ids)
    teachers = RoleAssignment.objects.filter(
        _active(first, last), school_id__in=ids, role=Role.TEACHER, user__is_active=True,
    )  # fmt: skip
    start, end = _day_start(first), _day_start(last + dt.timedelta(days=1))
    logins = AccessLog.objects.filter(username=OuterRef("guardian__user__username"), attempt_time__gte=start,
                                      attempt_time__lt=end)  # fmt: skip
    guardians = GuardianLink.objects.filter(
        school_id__in=ids, guardian__user__isnull=False, guardian__user__is_active=True
    ).filter(_active(first, last, "student__enrolments__"))
    return {
        "classes_in_system": _by_school(classes.values("school_id").annotate(n=Count("id"))),
        "students_in_system": _by_school(students.values("school_id").annotate(n=Count("student_id", distinct=True))),
        "teachers_with_accounts": _by_school(teachers.values("school_id").annotate(n=Count("user_id", distinct=True))),
        **_guardians(guardians, logins),
    }


def _guardians(guardians, logins) -> dict[str, dict[int, int]]:
    rows = guardians.values("school_id").annotate(
        n=Count("guardian_id", distinct=True),
        logged=Count("guardian_id", distinct=True, filter=Q(Exists(logins))),
    )
    return {"guardians_with_access": _by_school(rows), "guardians_logged_in": _by_school(rows, "logged")}


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def held_lessons(ids: list[int], first: dt.date, last: dt.date):
    """The lessons that count: held (scheduled or extra) in the schools between the dates."""
    return Lesson.objects.filter(school_id__in=ids, date__gte=first, date__lte=last, status__in=HELD)


def topic_day():
    """The local day the lesson's topic was written (None without a topic entry)."""
    return TruncDate("journal_note__topic_set_at")


def homework_day():
    """The local day the lesson's homework was published."""
    return TruncDate("homework__published_at")


def kept_day():
    """The local day the lesson was first kept in the journal (its first change record of any kind)."""
    return TruncDate(Subquery(ChangeRecord.objects.filter(lesson_id=OuterRef("pk")).order_by("at").values("at")[:1]))


def has_attendance() -> Exists:
    """The lesson has an attendance row (an absence or lateness): the (lesson, student) index alone."""
    return Exists(Attendance.objects.filter(lesson_id=OuterRef("pk")))


def has_entry() -> Q:
    """The journal holds an entry of the lesson: a topic, homework, a mark or an attendance row."""
    marks = Exists(Mark.objects.filter(lesson_id=OuterRef("pk")))
    homework = Exists(Homework.objects.filter(lesson_id=OuterRef("pk")))
    return ~Q(topic="") | Q(homework) | Q(marks) | Q(has_attendance())


def on_time(day: dt.date | None, lesson_date: dt.date, grace_days: int) -> bool:
    """Whether an entry made on `day` meets the deadline: the lesson day plus the Regulation's grace days."""
    return day is not None and day <= lesson_date + dt.timedelta(days=grace_days)


def attendance_kept(has_row: bool, kept: dt.date | None, lesson_date: dt.date, grace_days: int) -> bool:
    """Whether the journal holds the lesson's attendance: an attendance row, or the lesson kept on its day (a
    present student has no row, so a lesson kept in time without one had everybody present)."""
    return bool(has_row) or on_time(kept, lesson_date, grace_days)


def _filling(lessons, rules, by: str = "school_id") -> dict[str, dict]:
    """Lessons, topics, homework and attendance on time, and the teachers who kept the journal of a lesson, per
    school (or per `by`): one grouped query.

    The lessons are grouped by their date, who held them, the local days of their three entries and whether
    they have an attendance row and an entry at all (a few rows per teacher and day), and compared with each
    school's grace days here, in one pass over the month's lessons instead of one per figure."""
    out: dict[str, dict] = {name: defaultdict(int) for name in ("totals", "topic", "homework", "kept", "active")}
    teachers: dict[int, set[int]] = defaultdict(set)
    fields = dict.fromkeys(("school_id", by, "who", "date", "has_topic", "t_day", "h_day", "k_day", "has_row",
                            "has_entry"))  # fmt: skip
    has_topic = ExpressionWrapper(~Q(topic=""), output_field=BooleanField())
    if "who" not in lessons.query.annotations:
        lessons = lessons.annotate(who=lesson_teacher())
    rows = lessons.annotate(
        has_topic=has_topic, t_day=topic_day(), h_day=homework_day(), k_day=kept_day(),
        has_row=has_attendance(), has_entry=ExpressionWrapper(has_entry(), output_field=BooleanField()),
    )  # fmt: skip
    for row in rows.order_by().values(*fields).annotate(n=Count("id")):
        r, key, n = rules[row["school_id"]], row[by], row["n"]
        out["totals"][key] += n
        if row["has_topic"] and on_time(row["t_day"], row["date"], r.same_day_grace_days):
            out["topic"][key] += n
        if on_time(row["h_day"], row["date"], r.homework_grace_days):
            out["homework"][key] += n
        if attendance_kept(row["has_row"], row["k_day"], row["date"], r.same_day_grace_days):
            out["kept"][key] += n
        if row["has_entry"]:
            teachers[key].add(row["who"])
    out["active"] = {key: len(who) for key, who in teachers.items()}
    return out


def mark_entered_late() -> Exists:
    """A mark whose entry the journal recorded as after its deadline (with the written-work deadlines)."""
    return Exists(ChangeRecord.objects.filter(entity="mark", entity_id=OuterRef("pk"), action="create", is_late=True))


def _per_lesson(queryset, column: str) -> Coalesce:
    """The sum over the grouped lessons of a per-lesson count (`queryset` correlated to the lesson, `column` counted)."""
    counted = queryset.order_by().values("lesson_id").annotate(c=Count(column, distinct=column != "*")).values("c")
    return Coalesce(Sum(Subquery(counted, output_field=IntegerField())), 0)


def _marks(lessons, by: str = "school_id") -> dict[int, dict]:
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


def _marks_and_density(ids: list[int], first: dt.date, last: dt.date, rules) -> tuple[dict[int, dict], dict]:
    """The month's marks and late marks, and the density's (pairs meeting the norm, all pairs), per school.

    On PostgreSQL the month's marks and the term's are read in one pass (`_lateral_marks_and_density`), the late
    ones counted apart; elsewhere `_marks` and `_density`, the same figures."""
    terms = density_terms(ids, first, last)
    if connection.vendor != "postgresql" or not terms:
        return _marks(month_lessons(ids, first, last)), _density(ids, first, last, rules, terms=terms)
    counts, met = _lateral_marks_and_density(ids, first, last, terms, rules)
    late = _late_marks(month_lessons(ids, first, last))
    pairs = _density_pairs(terms, last)
    marks = {sid: {"n": counts.get(sid, 0), "late": late.get(sid, 0)} for sid in ids}
    return marks, {sid: (met.get(sid, 0), n) for sid, n in pairs.items()}


def _late_marks(lessons) -> dict[int, int]:
    """Marks entered late of the lessons per school: the lesson's late creation records still naming its mark."""
    late = ChangeRecord.objects.filter(lesson_id=OuterRef("pk"), entity="mark", action="create", is_late=True).filter(
        Exists(Mark.objects.filter(pk=OuterRef("entity_id"), lesson_id=OuterRef("lesson_id")))
    )
    return _by_school(lessons.order_by().values("school_id").annotate(n=_per_lesson(late, "entity_id")))


def _lateral_marks_and_density(ids, first, last, terms: list[Term], rules) -> tuple[dict[int, int], dict[int, int]]:
    """Marks of the month's lessons and pairs meeting the density norm per school, in one pass (PostgreSQL).

    Each school's lessons from its earliest term's start (or the month's) are read once through their
    (school, date) index; a lesson is of the month by its date, of the density when held and within a term
    of its school and grade (a join on merged date spans per (school, grade), not an OR per term evaluated on
    every row). The lessons are gathered per (school, grade, assignment) into two arrays of ids (of the month, of
    the term) and each assignment's marks are read from the marks' (lesson, student) index alone (`lesson_id =
    ANY(...)`, index only) and counted per student there, so the norm is met or not per assignment in a small
    hash: one pass over the term's ~10^7 index entries for the city without sorting or hashing them all by
    (school, grade, assignment, student) (that statement took 9.3–9.6 s of the city's 10 s in December). The
    assignment's hours and the norm are joined per assignment, not per mark."""
    q = connection.ops.quote_name
    lessons, marks = q(Lesson._meta.db_table), q(Mark._meta.db_table)
    classes, assignments = q(SchoolClass._meta.db_table), q(TeachingAssignment._meta.db_table)
    sql = (
        f"WITH scope (school_id, lo) AS (VALUES {_scope_values(ids, first, terms)}), "  # noqa: S608 - numbers, dates and table names only
        f"spans (school_id, grade, starts, ends) AS (VALUES {_span_values(terms, last)}), "
        f"ls AS (SELECT l.id, l.school_id, c.grade, l.assignment_id, l.date >= %s AS in_month, "
        f"(l.status IN (%s, %s) AND sp.school_id IS NOT NULL) AS in_term FROM scope s "
        f"JOIN {lessons} l ON l.school_id = s.school_id AND l.date >= s.lo AND l.date <= %s "
        f"JOIN {classes} c ON c.id = l.school_class_id "
        f"LEFT JOIN spans sp ON sp.school_id = l.school_id AND sp.grade = c.grade "
        f"AND l.date >= sp.starts AND l.date <= sp.ends), "
        f"g AS (SELECT ls.school_id, ls.grade, ls.assignment_id, ARRAY_AGG(ls.id) FILTER (WHERE ls.in_month) AS month, "
        f"ARRAY_AGG(ls.id) FILTER (WHERE ls.in_term) AS term FROM ls WHERE ls.in_month OR ls.in_term "
        f"GROUP BY ls.school_id, ls.grade, ls.assignment_id) "
        f"SELECT g.school_id, SUM(mn.n), SUM(tn.met) FROM g LEFT JOIN {assignments} a ON a.id = g.assignment_id "
        f"LEFT JOIN (VALUES {_norms(terms, rules)}) r ON r.column1 = g.school_id AND r.column2 = g.grade "
        f"CROSS JOIN LATERAL (SELECT COUNT(*) AS n FROM {marks} mk WHERE mk.lesson_id = ANY(g.month)) mn "
        f"CROSS JOIN LATERAL (SELECT COUNT(*) FILTER (WHERE s.n >= CASE WHEN r.column3 > 0 THEN r.column3 "
        f"WHEN a.hours_per_week <= r.column4 THEN r.column5 ELSE r.column6 END) AS met FROM (SELECT COUNT(*) AS n "
        f"FROM {marks} mk WHERE mk.lesson_id = ANY(g.term) GROUP BY mk.student_id) s) tn "
        f"GROUP BY g.school_id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [first, *HELD, last])
        rows = cursor.fetchall()
    return {sid: int(n) for sid, n, _met in rows}, {sid: int(met) for sid, _n, met in rows}


def _scope_values(ids: list[int], first: dt.date, terms: list[Term]) -> str:
    """(school, first day read) as SQL VALUES: the month's first day, or its earliest term's start if earlier."""
    lo = dict.fromkeys(ids, first)
    for t in terms:
        lo[t.school_id] = min(lo[t.school_id], t.starts_on)
    return ", ".join(f"({int(sid)}, DATE '{day.isoformat()}')" for sid, day in lo.items())


def _span_values(terms: list[Term], last: dt.date) -> str:
    """(school, grade, first day, last day) as SQL VALUES: the days of the terms per school and grade up to
    `last`, overlapping or touching terms merged so that a lesson falls in one span at most."""
    days: dict[tuple[int, int], list[tuple[dt.date, dt.date]]] = defaultdict(list)
    for t in terms:
        for grade in range(t.min_grade, t.max_grade + 1):
            days[(t.school_id, grade)].append((t.starts_on, min(t.ends_on, last)))
    rows = []
    for (sid, grade), spans in days.items():
        merged: list[list[dt.date]] = []
        for start, end in sorted(spans):
            if merged and start <= merged[-1][1] + dt.timedelta(days=1):
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end])
        rows += [f"({int(sid)}, {int(grade)}, DATE '{a.isoformat()}', DATE '{b.isoformat()}')" for a, b in merged]
    return ", ".join(rows)


def month_marks(ids: list[int], first: dt.date, last: dt.date):
    """The marks of the lessons between the dates in the schools."""
    return Mark.objects.filter(school_id__in=ids, lesson__date__gte=first, lesson__date__lte=last)


def month_lessons(ids: list[int], first: dt.date, last: dt.date):
    """The lessons between the dates in the schools, whatever their status (their marks count)."""
    return Lesson.objects.filter(school_id__in=ids, date__gte=first, date__lte=last)


def density_terms(ids: list[int], first: dt.date, last: dt.date) -> list[Term]:
    """Per school, the terms in progress at the end of the month, else those that ended in it."""
    terms = list(Term.objects.filter(school_id__in=ids, starts_on__lte=last, ends_on__gte=first))
    current = [t for t in terms if t.ends_on >= last]
    schools_with_current = {t.school_id for t in current}
    return current + [t for t in terms if t.school_id not in schools_with_current]


def _density(ids: list[int], first: dt.date, last: dt.date, rules, by_teacher: bool = False, terms=None):
    """(pairs meeting the norm, all pairs) per school, or per teacher of the assignment: three queries (two with
    the `terms` given)."""
    terms = density_terms(ids, first, last) if terms is None else terms
    if not terms:
        return {}
    met = _density_met(terms, last, rules, "lesson__assignment__teacher_id" if by_teacher else "lesson__school_id")
    pairs = _density_pairs(terms, last, by="teacher_id" if by_teacher else "school_id")
    return {key: (met.get(key, 0), n) for key, n in pairs.items()}


def _norms(terms: list[Term], rules) -> str:
    """The density norms as an SQL VALUES list of (school, grade, norm for a half-year or 0, hours threshold,
    norm up to it, norm above it): the kind of each school's term for the grade (`density_required`; the last
    term listed wins, as a dict of them would). Numbers of the Regulation only, written as literals."""
    kind_of = {(t.school_id, g): t.kind for t in terms for g in range(t.min_grade, t.max_grade + 1)}
    rows = []
    for (sid, grade), kind in kind_of.items():
        r = rules[sid]
        half = density_required(Decimal(0), kind, r) if kind == Term.Kind.HALF_YEAR else 0
        rows.append(f"({int(sid)}, {int(grade)}, {int(half)}, {Decimal(r.density_hours_threshold)}, "
                    f"{int(r.density_min_low_hours)}, {int(r.density_min_high_hours)})")  # fmt: skip
    return ", ".join(rows)


def _density_met(terms: list[Term], last: dt.date, rules, by: str) -> dict[int, int]:
    """Pairs whose marks so far reach the norm, per `by` (a column of the mark counts): one query.

    The pairs are counted in the database instead of read row by row; each pair's norm is joined per
    (school, grade) from a VALUES list, a constant cost per pair whatever the number of schools.
    """
    if connection.vendor == "postgresql":
        sql, params = _lateral_mark_counts(terms, last)
    else:
        sql, params = density_mark_counts(terms, last).query.sql_with_params()
    q = connection.ops.quote_name
    school, grade, hours = (
        q("lesson__school_id"),
        q("lesson__school_class__grade"),
        q("lesson__assignment__hours_per_week"),
    )
    key = f"p.{q(by)}"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {key}, COUNT(*) FROM ({sql}) p "  # noqa: S608 - column aliases and the rules' numbers only
            f"JOIN (VALUES {_norms(terms, rules)}) r ON r.column1 = p.{school} AND r.column2 = p.{grade} "
            f"WHERE p.n >= CASE WHEN r.column3 > 0 THEN r.column3 WHEN p.{hours} <= r.column4 THEN r.column5 "
            f"ELSE r.column6 END GROUP BY {key}",
            params,
        )
        return dict(cursor.fetchall())


def _lateral_mark_counts(terms: list[Term], last: dt.date) -> tuple[str, list]:
    """`density_mark_counts` on PostgreSQL with the marks read per lesson (a LATERAL subquery kept apart by
    OFFSET 0): from the terms' lessons (their (school, date) index) into the marks' (lesson, student) index, index
    only. Left to itself the planner hashed the lessons and read the whole `journal_mark` (54 M rows, 6.5 GB for
    the city) once per district."""
    q = connection.ops.quote_name
    lessons, marks = q(Lesson._meta.db_table), q(Mark._meta.db_table)
    classes, assignments = q(SchoolClass._meta.db_table), q(TeachingAssignment._meta.db_table)
    scope, params = [], []
    for t in terms:
        scope.append("(l.school_id = %s AND l.date >= %s AND l.date <= %s AND c.grade >= %s AND c.grade <= %s)")
        params += [t.school_id, t.starts_on, min(t.ends_on, last), t.min_grade, t.max_grade]
    names = [q(n) for n in ("lesson__school_id", "student_id", "lesson__assignment_id",
                            "lesson__assignment__hours_per_week", "lesson__assignment__teacher_id",
                            "lesson__school_class__grade")]  # fmt: skip
    columns = ("l.school_id", "m.student_id", "l.assignment_id", "a.hours_per_week", "a.teacher_id", "c.grade")
    select = ", ".join(f"{c} AS {n}" for c, n in zip(columns, names, strict=True))
    sql = (
        f"SELECT {select}, COUNT(*) AS n FROM {lessons} l "  # noqa: S608 - table names from the models
        f"JOIN {classes} c ON c.id = l.school_class_id "
        f"LEFT JOIN {assignments} a ON a.id = l.assignment_id "
        f"CROSS JOIN LATERAL (SELECT mk.student_id FROM {marks} mk WHERE mk.lesson_id = l.id OFFSET 0) m "
        f"WHERE l.status IN (%s, %s) AND ({' OR '.join(scope)}) "
        f"GROUP BY {', '.join(columns)}"
    )
    return sql, [*HELD, *params]


def density_mark_counts(terms: list[Term], last: dt.date):
    """Marks so far per (school, student, assignment) in the given terms: one grouped query.

    Only the lesson's columns are filtered and only the index's (lesson, student) of the mark are read, so the
    plan goes from the terms' lessons (their (school, date) index) to the marks' index without their rows.
    """
    scope = Q(pk__in=[])
    for t in terms:
        scope |= Q(lesson__school_id=t.school_id, lesson__date__gte=t.starts_on,
                   lesson__date__lte=min(t.ends_on, last), lesson__school_class__grade__gte=t.min_grade,
                   lesson__school_class__grade__lte=t.max_grade)  # fmt: skip
    return (
        Mark.objects.filter(scope, lesson__status__in=HELD)
        .order_by()
        .values(
            "lesson__school_id",
            "student_id",
            "lesson__assignment_id",
            "lesson__assignment__hours_per_week",
            "lesson__assignment__teacher_id",
            "lesson__school_class__grade",
        )
        .annotate(n=Count("*"))
    )


def density_mark_rows(terms: list[Term], last: dt.date) -> list[dict]:
    """The rows of `density_mark_counts`, read on PostgreSQL by the lateral plan (`_lateral_mark_counts`): the
    grouped ORM query let the planner hash a school's lessons and read all of `journal_mark` (9.6 s for one
    school's term on the city year)."""
    if connection.vendor != "postgresql":
        return list(density_mark_counts(terms, last))
    sql, params = _lateral_mark_counts(terms, last)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = [c.name for c in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def density_mark_pairs(terms: list[Term], last: dt.date) -> dict[tuple[int, int], int]:
    """Marks so far per (student, assignment) of `density_mark_rows`, read as tuples (a school's term is ~10^5
    rows: no dict per row)."""
    if connection.vendor != "postgresql":
        return {(r["student_id"], r["lesson__assignment_id"]): r["n"] for r in density_mark_counts(terms, last)}
    sql, params = _lateral_mark_counts(terms, last)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {(student, assignment): n for _s, student, assignment, _h, _t, _g, n in cursor.fetchall()}


def _density_pairs(terms: list[Term], last: dt.date, by: str = "school_id") -> dict[int, int]:
    """Students × subjects to be marked: class-wide assignments × enrolled students, subgroup ones × members."""
    grades = Q(pk__in=[])
    for t in terms:
        grades |= Q(school_id=t.school_id, school_class__grade__gte=t.min_grade, school_class__grade__lte=t.max_grade)
    assignments = TeachingAssignment.objects.filter(grades, starts_on__lte=last).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=last)
    )
    enrolled = Q(school_class__enrolments__starts_on__lte=last) & (
        Q(school_class__enrolments__ends_on__isnull=True) | Q(school_class__enrolments__ends_on__gte=last)
    )
    members = Q(subgroup__memberships__starts_on__lte=last) & (
        Q(subgroup__memberships__ends_on__isnull=True) | Q(subgroup__memberships__ends_on__gte=last)
    )
    whole = (
        assignments.filter(subgroup__isnull=True)
        .values(by)
        .annotate(n=Count("school_class__enrolments", filter=enrolled))
    )
    parts = (
        assignments.filter(subgroup__isnull=False).values(by).annotate(n=Count("subgroup__memberships", filter=members))
    )
    out: dict[int, int] = defaultdict(int)
    for row in [*whole, *parts]:
        out[row[by]] += row["n"]
    return out


def school_month_indicators(*, school_ids: list[int], year: int, month: int) -> dict[int, SchoolMonthIndicators]:
    """The month's indicators of each school (every school id gets an entry, zeros when it has no data).

    Every figure of a school is counted from that school's rows alone, so on PostgreSQL outside a transaction
    the schools are split into `settings.INDICATORS_PARALLEL` parts computed at once, each on its own thread and
    connection (the whole city's month is seconds of index reads and grouping, one core's work per statement).
    Inside a caller's transaction (tests, the stored figures' write) other connections would not see its rows:
    one part there."""
    ids = sorted(set(school_ids))
    if not ids:
        return {}
    first, last = month_bounds(year, month)
    last = min(last, timezone.localdate())
    if last < first:
        return {sid: SchoolMonthIndicators() for sid in ids}
    parts = max(1, min(int(getattr(settings, "INDICATORS_PARALLEL", 1)), len(ids)))
    if parts > 1 and connection.vendor == "postgresql" and not connection.in_atomic_block:
        out: dict[int, SchoolMonthIndicators] = {}
        for part in _in_parallel([_month_part(ids[n::parts], first, last) for n in range(parts)]):
            out.update(part)
        return out
    return _month_part(ids, first, last)()


def _in_parallel(calls: list) -> list:
    """Run the calls at once, each on its own thread with its own database connection (closed after) and the
    caller's context (the active time zone and language)."""

    def run(call, context: contextvars.Context):
        try:
            return context.run(call)
        finally:
            connections.close_all()  # this thread's connections only

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(run, calls, [contextvars.copy_context() for _ in calls]))


def _month_part(ids: list[int], first: dt.date, last: dt.date):
    """The indicators of some schools for the days, as a call (for `_in_parallel`)."""
    return lambda: _school_month_part(ids, first, last)


def _school_month_part(ids: list[int], first: dt.date, last: dt.date) -> dict[int, SchoolMonthIndicators]:
    with aggregate_plans():
        rules = rules_of_schools(ids)
        cover = _coverage(ids, first, last)
        fill = _filling(held_lessons(ids, first, last), rules)
        marks, density = _marks_and_density(ids, first, last, rules)
    out = {}
    for sid in ids:
        m = marks.get(sid, {"n": 0, "late": 0})
        out[sid] = SchoolMonthIndicators(
            **{name: values.get(sid, 0) for name, values in cover.items()},  # type: ignore[arg-type]  # the coverage counts are the int fields
            teachers_active=fill["active"].get(sid, 0),
            **_shares(sid, fill, m, density),
            marks_per_student=ratio(m["n"], cover["students_in_system"].get(sid, 0)),
        )
    return out


def _shares(key: int, fill: dict[str, dict], marks: dict, density: dict) -> dict:
    """The lessons and the shares on time, of late marks and of pairs meeting the density norm, of one school/teacher."""
    total = fill["totals"].get(key, 0)
    met, pairs = density.get(key, (0, 0))
    return {
        "lessons_total": total,
        "lessons_topic_on_time_pct": percent(fill["topic"].get(key, 0), total),
        "lessons_homework_on_time_pct": percent(fill["homework"].get(key, 0), total),
        "lessons_attendance_pct": percent(fill["kept"].get(key, 0), total),
        "density_norm_met_pct": percent(min(met, pairs), pairs),
        "marks_late_pct": percent(marks["late"], marks["n"]),
    }


@dataclass(frozen=True)
class TeacherMonthIndicators:
    """A teacher's share of the school's filling figures: the lessons they held (as the teacher or the substitute),
    the marks of those lessons, and the (student, subject) pairs of their assignments for the mark density."""

    lessons_total: int = 0
    lessons_topic_on_time_pct: Decimal | None = None
    lessons_homework_on_time_pct: Decimal | None = None
    lessons_attendance_pct: Decimal | None = None
    marks_total: int = 0
    marks_late_pct: Decimal | None = None
    density_norm_met_pct: Decimal | None = None


def lesson_teacher(prefix: str = "") -> Coalesce:
    """Who held the lesson: the substitute if any, else the teacher (as the filling control attributes findings)."""
    return Coalesce(f"{prefix}substitute_id", f"{prefix}teacher_id")


def teacher_month_indicators(*, school_id: int, year: int, month: int,
                             teacher_id: int | None = None) -> dict[int, TeacherMonthIndicators]:  # fmt: skip
    """The month's filling figures of each teacher of the school (or of one), by the same definitions as
    `school_month_indicators`; a teacher without lessons, marks or pairs in the month has no entry. Constant queries."""
    first, last = month_bounds(year, month)
    last = min(last, timezone.localdate())
    if last < first:
        return {}
    ids = [school_id]
    rules = rules_of_schools(ids)
    lessons = held_lessons(ids, first, last).annotate(who=lesson_teacher())
    marks = month_lessons(ids, first, last).annotate(who=lesson_teacher())
    if teacher_id is not None:
        lessons, marks = lessons.filter(who=teacher_id), marks.filter(who=teacher_id)
    with aggregate_plans():
        fill = _filling(lessons, rules, by="who")
        counts = _marks(marks, by="who")
        density = _density(ids, first, last, rules, by_teacher=True)
    if teacher_id is not None:
        density = {k: v for k, v in density.items() if k == teacher_id}
    out = {}
    for tid in {*fill["totals"], *counts, *density}:
        m = counts.get(tid, {"n": 0, "late": 0})
        out[tid] = TeacherMonthIndicators(**_shares(tid, fill, m, density), marks_total=m["n"])
    return out
