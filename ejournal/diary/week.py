# ruff: noqa: S608 - the SQL is built from model table names only; every value is a parameter
"""The diary's week: a lean read of plain values, its fingerprint, and the whole page cached under both.

The evening peak of the diary is families reading the same weeks again and
again while the journal rarely changes, so the whole rendered page (the
view's frame, base.html, around the week's content built by `week_html`) is
kept in Django's cache (Redis in production, shared by the workers), per
user, role, child, week, day, language, fingerprint and frame.

Freshness without signals or hooks in the writers: the cache key holds a
*fingerprint* of every row the days show, computed by the database in one
query (`fingerprint`): the student's enrolments and subgroup memberships
overlapping the week, the classes' lessons of the week (subject, teacher,
substitute, room, status, topic, note, moves both ways), their homework and
files, the homework due in the week, the student's marks (with the kind of
work) and attendance of those lessons, the names of the subjects, teachers
and rooms shown, the classes' grade and shift and the school's bells. Any
write to any of them — through the journal, the timetable, the roster or the
admin, with or without `save()` — changes the fingerprint, so the next read
misses the cache and renders the new state; an unchanged week costs one
query and one cache read. A rendered week is stored only when the
fingerprint read after its data is the one read before (no write slipped in
between the queries), so a page mixing two states is never cached.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from django.core.cache import cache
from django.db import connection
from django.http import Http404
from django.utils import timezone, translation
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from ejournal.access import policy
from ejournal.access.policy import Actor
from ejournal.accounts.models import User
from ejournal.core.sql import STATEMENTS, _select, _t, columns, instances, prepare_sql  # noqa: F401 - the benchmark reads the statements here
from ejournal.core.templating import templates_digest
from ejournal.curriculum.models import Subject
from ejournal.journal.models import Attendance, Homework, HomeworkAttachment, Mark, WorkType
from ejournal.people.models import Enrolment, Student, SubgroupMembership
from ejournal.schools.models import School, SchoolClass
from ejournal.timetable.models import Bell, BellSchedule, Lesson, Room

from .models import WeekAcknowledgement
from .selectors import Spans
from .week_html import content_html, days_html
from .week_values import WeekAck, WeekChild, WeekContent, WeekDay, WeekDue, WeekFile, WeekLesson, WeekMark

# The keys of rendered HTML hold the digest of the templates (`templates_digest`): a deploy that changes any
# template never serves HTML made by another.
CACHE_PREFIX = "diary:week:page"
DAYS_PREFIX = "diary:weekdays"  # the days' HTML per child and week, shared by its readers (`week_warm` fills it)
CACHE_SECONDS = 7 * 24 * 3600  # a stale key is never read again (its fingerprint is gone); this only frees memory

# --- the lean read -----------------------------------------------------------------------


def _full(last: str | None, first: str | None, middle: str | None) -> str:
    return " ".join(p for p in (last, first, middle) if p)


def _short(last: str | None, first: str | None, middle: str | None) -> str:
    initials = "".join(f"{p[0]}." for p in (first, middle) if p)
    return f"{last} {initials}".strip() if initials else (last or "")


def _hm(value) -> str:
    """A time column read by raw SQL as «08:25» (SQLite answers text)."""
    return value[:5] if isinstance(value, str) else f"{value:%H:%M}"


def _bell_sql(column: str) -> str:
    """The bell of the first regular schedule of the class's shift and grade band (as `Bells.bell` picks it),
    of the student's school (whose bells the fingerprint holds)."""
    return (
        f"(SELECT b.{column} FROM {_t(Bell)} b JOIN {_t(BellSchedule)} s ON s.id = b.schedule_id "
        "WHERE b.school_id = %(school)s AND s.school_id = %(school)s AND NOT s.is_shortened AND s.shift = c.shift AND s.min_grade <= c.grade "
        "AND s.max_grade >= c.grade AND b.number = l.lesson_number ORDER BY s.min_grade, s.id LIMIT 1)"
    )


def _lessons_sql(listed) -> str:
    """Names by scalar subqueries, not joins: few tables to plan (a join of eight costs more to plan than to run)."""
    lesson, user = _t(Lesson), _t(User)
    name = "x.last_name || '|' || x.first_name || '|' || x.middle_name"
    return (
        "SELECT l.id, l.date, l.lesson_number, l.status, l.school_class_id, l.subgroup_id, "
        f"(SELECT x.name FROM {_t(Subject)} x WHERE x.id = l.subject_id), {_bell_sql('starts_at')}, "
        f"{_bell_sql('ends_at')}, "
        f"(SELECT {name} FROM {user} x WHERE x.id = l.teacher_id), "
        f"(SELECT {name} FROM {user} x WHERE x.id = l.substitute_id), "
        f"(SELECT x.name FROM {_t(Room)} x WHERE x.id = l.room_id), l.change_note, l.topic, "
        f"(SELECT x.date FROM {lesson} x WHERE x.id = l.moved_to_id), "
        f"(SELECT x.lesson_number FROM {lesson} x WHERE x.id = l.moved_to_id), "
        f"(SELECT x.date FROM {lesson} x WHERE x.moved_to_id = l.id) "
        f"FROM {lesson} l JOIN {_t(SchoolClass)} c ON c.id = l.school_class_id "
        f"WHERE l.school_class_id {listed('classes')} AND l.date BETWEEN %(first)s AND %(last)s "
        "ORDER BY l.date, l.lesson_number, l.id"
    )


def _lessons(spans: Spans, monday: dt.date, last: dt.date, school_id: int) -> list[tuple[dt.date, int, WeekLesson]]:
    """The student's lessons of the week with subject, bell, teacher, substitute, room and moves (one query)."""
    params = {"classes": list(spans.classes), "first": monday, "last": last, "school": school_id}
    types = {"classes": "bigint[]", "first": "date", "last": "date", "school": "bigint"}
    out = []
    for row in _select(LESSONS, _lessons_sql, types, params):
        pk, day, number, status, class_id, group_id, subject, starts, ends = row[:9]
        if not spans.sees_row(class_id, group_id, _day(day)):
            continue
        teacher, substitute = row[9].split("|"), row[10].split("|") if row[10] else ("", "", "")
        moved_to = (_day(row[14]), row[15]) if row[14] else None
        out.append((_day(day), pk, WeekLesson(
            number=number, subject=subject, status=status, time=f"{_hm(starts)}–{_hm(ends)}" if starts else "",
            teacher=_full(*teacher), substitute=_full(*substitute), teacher_short=_short(*teacher),
            room=row[11] or "", change_note=row[12], topic=row[13], moved_to=moved_to, moved_from=_date(row[16]),
        )))  # fmt: skip
    return out


def _date(value) -> dt.date | None:
    """A date column read by raw SQL (SQLite answers text)."""
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


def _day(value) -> dt.date:
    """A NOT NULL date column read by raw SQL."""
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


def _attach(student_id: int, lessons: dict[int, WeekLesson]) -> None:
    """Homework with files, marks and attendance of the week's lessons (two queries whatever the week holds)."""
    params = {"lessons": list(lessons), "student": student_id}
    types = {"lessons": "bigint[]", "student": "bigint"}
    for lesson_id, text, due, file_id, name, size in _select(HOMEWORK, lambda listed: (
        f"SELECT h.lesson_id, h.text, h.due_date, a.id, a.original_name, a.size FROM {_t(Homework)} h "
        f"LEFT JOIN {_t(HomeworkAttachment)} a ON a.homework_id = h.id WHERE h.lesson_id {listed('lessons')} "
        "ORDER BY a.id"
    ), types, params):  # fmt: skip
        lessons[lesson_id].homework_text, lessons[lesson_id].homework_due = text, _date(due)
        if file_id is not None:
            lessons[lesson_id].files.append(WeekFile(file_id, name, size))
    codes = dict(Attendance._meta.get_field("code").flatchoices)
    for lesson_id, value, symbol, kind, weight, comment, *_order in _select(MARKS, lambda listed: (
        f"SELECT m.lesson_id, m.value, m.symbol, w.name, m.weight, m.comment, m.created_at, m.id FROM {_t(Mark)} m "
        f"JOIN {_t(WorkType)} w ON w.id = m.work_type_id "
        f"WHERE m.student_id = %(student)s AND m.lesson_id {listed('lessons')} UNION ALL "
        f"SELECT lesson_id, NULL, code, NULL, NULL, NULL, NULL, NULL FROM {_t(Attendance)} "
        f"WHERE student_id = %(student)s AND lesson_id {listed('lessons')} ORDER BY 7, 8"
    ), types, params):  # fmt: skip
        if kind is None:  # the attendance of the lesson
            lessons[lesson_id].attendance = str(codes.get(symbol, symbol))
            continue
        display = str(value) if value is not None else symbol
        lessons[lesson_id].marks.append(WeekMark(display, value, kind, Decimal(str(weight)), comment))


def _due(spans: Spans, monday: dt.date, last: dt.date) -> dict[dt.date, list[WeekDue]]:
    """Homework due in the week, given at any earlier lesson of the student (the class's due-date index)."""
    params = {"classes": list(spans.classes), "first": monday, "last": last}
    types = {"classes": "bigint[]", "first": "date", "last": "date"}
    due: dict[dt.date, list[WeekDue]] = defaultdict(list)
    for day, text, subject, class_id, group_id, date in _select(DUE, lambda listed: (
        f"SELECT h.due_date, h.text, s.name, l.school_class_id, l.subgroup_id, l.date FROM {_t(Homework)} h "
        f"JOIN {_t(Lesson)} l ON l.id = h.lesson_id JOIN {_t(Subject)} s ON s.id = l.subject_id "
        f"WHERE h.school_class_id {listed('classes')} AND h.due_date BETWEEN %(first)s AND %(last)s "
        "ORDER BY h.due_date, s.position, s.name, h.id"
    ), types, params):  # fmt: skip
        if spans.sees_row(class_id, group_id, _day(date)):
            due[_day(day)].append(WeekDue(subject, text))
    return due


def _spans(student_id: int, first: dt.date, last: dt.date) -> Spans:
    """The student's enrolments and subgroup memberships overlapping the week (one query; as `spans_of`)."""
    overlap = "starts_on <= %(last)s AND (ends_on IS NULL OR ends_on >= %(first)s)"
    spans = Spans()
    for kind, school_id, pk, start, end in _select(SPANS, lambda listed: (
        f"SELECT 'c', school_id, school_class_id, starts_on, ends_on FROM {_t(Enrolment)} "
        f"WHERE student_id = %(student)s AND {overlap} UNION ALL SELECT 's', NULL, subgroup_id, starts_on, ends_on "
        f"FROM {_t(SubgroupMembership)} WHERE student_id = %(student)s AND {overlap}"
    ), {"student": "bigint", "first": "date", "last": "date"}, {"student": student_id, "first": first, "last": last}):  # fmt: skip
        if kind == "c":
            spans.classes[pk].append((_day(start), _date(end)))
            spans.schools.add(school_id)
        else:
            spans.subgroups[pk].append((_day(start), _date(end)))
    return spans


def week_days(*, student_id: int, school_id: int, monday: dt.date) -> list[WeekDay]:
    """The days of a student's week with everything they show: Monday to Friday always, Saturday and Sunday
    when they have lessons. Five prepared queries whatever the week holds."""
    last = monday + dt.timedelta(days=6)
    spans = _spans(student_id, monday, last)
    lessons = _lessons(spans, monday, last, school_id)
    _attach(student_id, {pk: lesson for _day, pk, lesson in lessons})
    due = _due(spans, monday, last)
    by_day: dict[dt.date, list[WeekLesson]] = defaultdict(list)
    for day, _pk, lesson in lessons:
        by_day[day].append(lesson)
    shown = [monday + dt.timedelta(days=n) for n in range(7)]
    shown = [d for n, d in enumerate(shown) if n < 5 or by_day.get(d)]
    return [WeekDay(d, by_day.get(d, []), due.get(d, [])) for d in shown]


def week_file_get(*, actor: Actor, student_id: int, pk: int) -> HomeworkAttachment:
    """A homework file of the child's lesson for the diary's download (`selectors.attachment_get` in one prepared
    query: files are 5 % of the evening's requests, and its four ORM queries made one cost ≈ 1.8 cached pages):
    of the child's school, on a lesson the child saw (enrolled in its class that day, and in its subgroup if it
    has one). Any other file, or a child not the actor's, is a 404."""
    if student_id not in actor.student_ids or not policy.check(actor, "can_read_diary", _Child(student_id)):
        raise Http404
    rows = _select(FILE, lambda listed: (
        f"SELECT {columns(HomeworkAttachment, 'a')} FROM {_t(HomeworkAttachment)} a "
        f"JOIN {_t(Homework)} h ON h.id = a.homework_id JOIN {_t(Lesson)} l ON l.id = h.lesson_id "
        f"WHERE a.id = %(pk)s AND a.school_id = (SELECT school_id FROM {_t(Student)} WHERE id = %(student)s) "
        f"AND EXISTS (SELECT 1 FROM {_t(Enrolment)} e WHERE e.student_id = %(student)s "
        "AND e.school_class_id = l.school_class_id AND e.starts_on <= l.date AND (e.ends_on IS NULL OR e.ends_on >= l.date)) "
        f"AND (l.subgroup_id IS NULL OR EXISTS (SELECT 1 FROM {_t(SubgroupMembership)} g WHERE g.student_id = %(student)s "
        "AND g.subgroup_id = l.subgroup_id AND g.starts_on <= l.date AND (g.ends_on IS NULL OR g.ends_on >= l.date)))"
    ), {"pk": "bigint", "student": "bigint"}, {"pk": pk, "student": student_id})  # fmt: skip
    if not rows:
        raise Http404
    return instances(rows[0], 0, HomeworkAttachment)[0]


# --- the fingerprint ---------------------------------------------------------------------


def _row(*columns: str) -> str:
    """One text per row, portable: every column cast to text, NULL as «~»."""
    return " || '|' || ".join(f"COALESCE(CAST({c} AS TEXT), '~')" for c in columns)


def _folded(parts: list[tuple[tuple[str, ...], str]]) -> str:
    """The rows of every (columns, source) part as one text per row, tagged with the part's number, sorted
    and folded into one value: PostgreSQL an md5 (rows sorted bytewise), elsewhere the texts themselves.
    One aggregate over a union costs PostgreSQL a fifth less than one per part (2.1 → 1.7 ms on the city)."""
    rows = " UNION ALL ".join(
        f"SELECT '{n:02d}|' || {_row(*columns)} AS r {source}" for n, (columns, source) in enumerate(parts)
    )
    if connection.vendor == "postgresql":
        return f"SELECT md5(string_agg(r, ',' ORDER BY r COLLATE \"C\")) FROM ({rows}) AS p"
    return f"SELECT group_concat(r, ',') FROM ({rows} ORDER BY r) AS p"


_OVERLAP = "starts_on <= %(last)s AND (ends_on IS NULL OR ends_on >= %(first)s)"


def _week_ctes() -> str:
    """The rows the parts read more than once: the student's school, enrolments of the week, the classes' lessons
    of the week, their homework, and the homework due in the week."""
    lesson, enrol = _t(Lesson), _t(Enrolment)
    week = (
        f"SELECT l.* FROM {lesson} l WHERE l.date BETWEEN %(first)s AND %(last)s AND l.school_class_id IN "
        f"(SELECT school_class_id FROM {enrol} WHERE student_id = %(student)s AND {_OVERLAP})"
    )
    homework = f"SELECT h.* FROM {_t(Homework)} h WHERE h.lesson_id IN (SELECT id FROM wk)"
    due = (  # by the homework's class and due date (its index), not by the class's lessons of the whole year
        f"SELECT h.id, h.text, h.due_date, dl.date, dl.subject_id, dl.subgroup_id, dl.school_class_id "
        f"FROM {_t(Homework)} h JOIN {lesson} dl ON dl.id = h.lesson_id "
        f"WHERE h.school_class_id IN (SELECT school_class_id FROM enr) AND h.due_date BETWEEN %(first)s AND %(last)s"
    )
    return (
        f"WITH st AS (SELECT school_id FROM {_t(Student)} WHERE id = %(student)s), "
        f"enr AS (SELECT school_id, school_class_id, starts_on, ends_on FROM {enrol} WHERE student_id = %(student)s "
        f"AND {_OVERLAP}), wk AS ({week}), hw AS ({homework}), due AS ({due}) "
    )


def _day_parts() -> list[tuple[tuple[str, ...], str]]:
    """Every row the days show, as (columns, source) over the CTEs of `_week_ctes`."""
    lesson, mark = _t(Lesson), _t(Mark)
    return [
        (("school_class_id", "starts_on", "ends_on"), "FROM enr"),
        (("subgroup_id", "starts_on", "ends_on"),
         f"FROM {_t(SubgroupMembership)} WHERE student_id = %(student)s AND {_OVERLAP}"),
        (
            ("id", "date", "lesson_number", "status", "school_class_id", "subgroup_id", "subject_id", "teacher_id",
             "substitute_id", "room_id", "moved_to_id", "change_note", "topic"),
            "FROM wk",
        ),
        (("id", "date", "lesson_number"), f"FROM {lesson} WHERE id IN (SELECT moved_to_id FROM wk)"),
        (("id", "date", "moved_to_id"), f"FROM {lesson} WHERE moved_to_id IN (SELECT id FROM wk)"),
        (("id", "lesson_id", "text", "due_date"), "FROM hw"),
        (("id", "homework_id", "original_name", "size"),
         f"FROM {_t(HomeworkAttachment)} WHERE homework_id IN (SELECT id FROM hw)"),
        (("id", "text", "due_date", "date", "subject_id", "subgroup_id", "school_class_id"), "FROM due"),
        (("id", "lesson_id", "value", "symbol", "work_type_id", "weight", "comment", "created_at"),
         f"FROM {mark} WHERE student_id = %(student)s AND lesson_id IN (SELECT id FROM wk)"),
        (("lesson_id", "code"),
         f"FROM {_t(Attendance)} WHERE student_id = %(student)s AND lesson_id IN (SELECT id FROM wk)"),
        (("id", "name"), f"FROM {_t(WorkType)} WHERE id IN "
         f"(SELECT work_type_id FROM {mark} WHERE student_id = %(student)s AND lesson_id IN (SELECT id FROM wk))"),
        (("id", "name", "position"),
         f"FROM {_t(Subject)} WHERE id IN (SELECT subject_id FROM wk UNION SELECT subject_id FROM due)"),
        (("id", "last_name", "first_name", "middle_name"),
         f"FROM {_t(User)} WHERE id IN (SELECT teacher_id FROM wk UNION SELECT substitute_id FROM wk)"),
        (("id", "name"), f"FROM {_t(Room)} WHERE id IN (SELECT room_id FROM wk)"),
        (("id", "grade", "shift"), f"FROM {_t(SchoolClass)} WHERE id IN (SELECT school_class_id FROM wk)"),
        (("id", "shift", "min_grade", "max_grade", "is_shortened"),
         f"FROM {_t(BellSchedule)} WHERE school_id = (SELECT school_id FROM st)"),
        (("id", "schedule_id", "number", "starts_at", "ends_at"),
         f"FROM {_t(Bell)} WHERE school_id = (SELECT school_id FROM st)"),
    ]  # fmt: skip


def _page_parts(children: str) -> list[tuple[tuple[str, ...], str]]:
    """The page around the days: the child's name, school and class; the tabs of the children; who acknowledged
    the week. `children` is the SQL of `listed('children')`."""
    student = _t(Student)
    return [
        (("id", "last_name", "first_name", "middle_name", "school_id", "school_class_id", "birth_date", "is_active"),
         f"FROM {student} WHERE id {children}"),  # the child is one of them (`week_page` checks it first)
        (("id", "grade", "letter"),
         f"FROM {_t(SchoolClass)} WHERE id IN (SELECT school_class_id FROM {student} WHERE id {children})"),
        (("id", "short_name"), f"FROM {_t(School)} WHERE id = (SELECT school_id FROM st)"),
        (("a.id", "a.guardian_user_id", "a.at", "u.last_name", "u.first_name", "u.middle_name", "u.username"),
         f"FROM {_t(WeekAcknowledgement)} a JOIN {_t(User)} u ON u.id = a.guardian_user_id "
         f"WHERE a.student_id = %(student)s AND a.week_start = %(first)s"),
    ]  # fmt: skip


def _fingerprint_sql(listed) -> str:
    """The fingerprint's SQL (see `_select` for `listed`): two digests, the days' rows and the page around them."""
    return f"{_week_ctes()}SELECT ({_folded(_day_parts())}), ({_folded(_page_parts(listed('children')))})"


FINGERPRINT = "diary_week_fingerprint_7"
LESSONS, SPANS, DUE = "diary_week_lessons_4", "diary_week_spans_1", "diary_week_due_2"
HOMEWORK, MARKS = "diary_week_homework_2", "diary_week_marks_2"
CHILDREN, ACKS, FILE = "diary_week_children_1", "diary_week_acks_1", "diary_week_file_1"


def fingerprints(*, student_id: int, children: list[int], monday: dt.date) -> tuple[str, str]:
    """Digests of every row the week page shows (one query): of the days' rows (the same whoever reads them), and
    of the rest of the page; each changes whenever any of its rows changes."""
    params = {"student": student_id, "first": monday, "last": monday + dt.timedelta(6), "children": children}
    types = {"student": "bigint", "first": "date", "last": "date", "children": "bigint[]"}
    ((days, page),) = _select(FINGERPRINT, _fingerprint_sql, types, params)
    days_digest, page_digest = (hashlib.blake2b((f or "").encode(), digest_size=16).hexdigest() for f in (days, page))
    return days_digest, page_digest


def fingerprint(*, student_id: int, children: list[int], monday: dt.date) -> str:
    """One digest of every row the week page shows (one query)."""
    return ":".join(fingerprints(student_id=student_id, children=children, monday=monday))


def _days_key(student_id: int, monday: dt.date, today: dt.date, days_stamp: str) -> str:
    return (f"{DAYS_PREFIX}:{templates_digest()}:{student_id}:{monday:%Y%m%d}:{today:%Y%m%d}:"
            f"{translation.get_language()}:{days_stamp}")  # fmt: skip


def week_warm(student_id: int, monday: dt.date) -> bool:
    """Fill the days of the child's week (`manage.py diary_warm`); True when they were rendered."""
    days_stamp, _page = fingerprints(student_id=student_id, children=[student_id], monday=monday)
    today = timezone.localdate()
    key = _days_key(student_id, monday, today, days_stamp)
    if cache.get(key) is not None:
        return False
    school_id = Student.objects.filter(pk=student_id).values_list("school_id", flat=True).first()
    if school_id is None:
        return False
    html = days_html(week_days(student_id=student_id, school_id=school_id, monday=monday), today, student_id)
    if fingerprints(student_id=student_id, children=[student_id], monday=monday)[0] == days_stamp:
        cache.set(key, html, CACHE_SECONDS)
    return True


# --- the cached page ---------------------------------------------------------------------

CSRF_MARK = mark_safe("<!--diary-csrf-->")  # where the session's CSRF token goes: never cached; never in escaped data
TOKEN_INPUT = format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', CSRF_MARK)


@dataclass(frozen=True, slots=True)
class WeekPage:
    title: str
    content: str  # with CSRF_MARK for the token of the acknowledgement form


class Frame(Protocol):
    """The page around the week's content (the site's base template), given by the view."""

    key: str | None  # a digest of everything the frame shows besides the content; None: not to be cached

    def render(self, page: WeekPage) -> str: ...


@dataclass(frozen=True, slots=True)
class _Child:
    """The policy's target of a child known only by id (the diary's rules look at nothing else)."""

    id: int


def week_page(*, actor: Actor, student_id: int, monday: dt.date, frame: Frame) -> str:
    """A child's whole week page as this actor sees it (CSRF_MARK where the session's token goes); from the
    cache while nothing it shows has changed. A child that is not the actor's is a 404 (no hint that it exists)."""
    if student_id not in actor.student_ids or not policy.check(actor, "can_read_diary", _Child(student_id)):
        raise Http404
    today = timezone.localdate()
    children = sorted(actor.student_ids)
    stamp = fingerprints(student_id=student_id, children=children, monday=monday)
    key = (
        f"{CACHE_PREFIX}:{templates_digest()}:{actor.user_id}:{actor.role}:{student_id}:{monday:%Y%m%d}:{today:%Y%m%d}"
    )
    key = f"{key}:{translation.get_language()}:{':'.join(stamp)}:{frame.key}"
    body = cache.get(key) if frame.key is not None else None
    if body is None:
        # The days may be there already, made for another reader of the child's week or by `week_warm`.
        days_key = _days_key(student_id, monday, today, stamp[0])
        page, days, made = _render(actor, student_id, monday, today, cache.get(days_key))
        body = frame.render(page)
        kept = made or frame.key is not None
        if kept and fingerprints(student_id=student_id, children=children, monday=monday) == stamp:  # no write between
            if made:
                cache.set(days_key, days, CACHE_SECONDS)
            if frame.key is not None:
                cache.set(key, body, CACHE_SECONDS)
    return body


def week_data(*, actor: Actor, student_id: int, monday: dt.date, today: dt.date) -> tuple[WeekContent, list[WeekDay]]:
    """What the week page shows, as values (the page and the open API read the same): the child, the tabs, who
    acknowledged it, and the days. A child that is not the actor's is a 404."""
    content = _head(actor=actor, student_id=student_id, monday=monday, today=today)
    return content, week_days(student_id=student_id, school_id=content.student.school_id, monday=monday)


def _head(*, actor: Actor, student_id: int, monday: dt.date, today: dt.date) -> WeekContent:
    """The page around the days: the child, the tabs, who acknowledged the week (a 404 for another's child)."""
    if student_id not in actor.student_ids or not policy.check(actor, "can_read_diary", _Child(student_id)):
        raise Http404
    children = _children(sorted(actor.student_ids))
    student = next((c for c in children if c.id == student_id), None)
    if student is None:  # linked, but the record is gone
        raise Http404
    return WeekContent(
        student=student, children=children, monday=monday, today=today, acks=_acks(student_id, monday),
        can_acknowledge=policy.check(actor, "can_acknowledge_diary_week", _Child(student_id)), me=actor.user_id_required,
    )  # fmt: skip


def _render(actor: Actor, student_id: int, monday: dt.date, today: dt.date, days: str | None):
    """The page's content around `days` (the days' HTML), or with its days read and rendered when None; also
    the days' HTML and whether it was made here."""
    content = _head(actor=actor, student_id=student_id, monday=monday, today=today)
    made = days is None
    if days is None:
        days = days_html(week_days(student_id=student_id, school_id=content.student.school_id, monday=monday),
                         today, student_id)  # fmt: skip
    title = _("Дневник: %(name)s") % {"name": content.student.full_name}
    html = content_html(content, TOKEN_INPUT, days)
    return WeekPage(title=title, content=mark_safe(html)), days, made  # noqa: S308 - escaped


def _children(ids: list[int]) -> list[WeekChild]:
    """The actor's children for the tabs, in the order of `selectors.children` (one query)."""
    rows = _select(CHILDREN, lambda listed: (
        f"SELECT s.id, s.school_id, s.last_name, s.first_name, s.middle_name, c.grade, c.letter, sc.short_name "
        f"FROM {_t(Student)} s JOIN {_t(School)} sc ON sc.id = s.school_id "
        f"LEFT JOIN {_t(SchoolClass)} c ON c.id = s.school_class_id WHERE s.id {listed('children')} "
        "ORDER BY s.birth_date, s.first_name, s.id"
    ), {"children": "bigint[]"}, {"children": ids})  # fmt: skip
    return [
        WeekChild(id=pk, school_id=school_id, full_name=_full(last, first, middle), first_name=first,
                  class_label=f"{grade} «{letter}»" if grade is not None else "", school=school)
        for pk, school_id, last, first, middle, grade, letter, school in rows
    ]  # fmt: skip


def _acks(student_id: int, monday: dt.date) -> list[WeekAck]:
    """Who acknowledged the student's week, and when (one query)."""
    rows = _select(ACKS, lambda listed: (
        f"SELECT a.guardian_user_id, a.at, u.last_name, u.first_name, u.middle_name, u.username "
        f"FROM {_t(WeekAcknowledgement)} a JOIN {_t(User)} u ON u.id = a.guardian_user_id "
        "WHERE a.student_id = %(student)s AND a.week_start = %(first)s ORDER BY a.at"
    ), {"student": "bigint", "first": "date"}, {"student": student_id, "first": monday})  # fmt: skip
    return [WeekAck(user_id, _moment(at), _short(last, first, middle) or username)
            for user_id, at, last, first, middle, username in rows]  # fmt: skip


def _moment(value) -> dt.datetime:
    """A datetime column read by raw SQL (SQLite answers a naive UTC one, or text)."""
    value = dt.datetime.fromisoformat(value) if isinstance(value, str) else value
    return value if timezone.is_aware(value) else timezone.make_aware(value, dt.UTC)
