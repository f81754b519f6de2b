"""The lessons that count and the journal's entries of each: the filling figures of a month."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, TruncDate

from ejournal.journal.models import Attendance, ChangeRecord, Homework, Mark
from ejournal.timetable.models import Lesson

HELD = (Lesson.Status.SCHEDULED, Lesson.Status.EXTRA)


def held_lessons(ids: list[int], first: dt.date, last: dt.date):
    """The lessons that count: held (scheduled or extra) in the schools between the dates."""
    return Lesson.objects.filter(school_id__in=ids, date__gte=first, date__lte=last, status__in=HELD)


def month_lessons(ids: list[int], first: dt.date, last: dt.date):
    """The lessons between the dates in the schools, whatever their status (their marks count)."""
    return Lesson.objects.filter(school_id__in=ids, date__gte=first, date__lte=last)


def lesson_teacher(prefix: str = "") -> Coalesce:
    """Who held the lesson: the substitute if any, else the teacher (as the filling control attributes findings)."""
    return Coalesce(f"{prefix}substitute_id", f"{prefix}teacher_id")


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


def lessons_filling(lessons, rules, by: str = "school_id") -> dict[str, dict]:
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
