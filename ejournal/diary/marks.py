# ruff: noqa: S608 - the SQL is built from model table names only; every value is a parameter
"""The diary's marks pages (a term, the year) cached under a fingerprint of every row they show, as the week.

Families open the marks of the term about half as often as the week, and the journal changes a child's
marks a few times a day, so the whole page is kept in Django's cache (Redis in production) under a key
that holds a *fingerprint* of the rows it shows, computed by the database in one prepared statement
(`fingerprint`): the student (name, school, class) and the class (grade, letter, year), the academic
years and the school's terms of the current year, the term closures of the school and of the class, the
class's teaching assignments and the student's subgroup memberships (the subjects listed), the student's
marks of the year with their lessons' date, number and subject and their kind of work, the student's
attendance of the year, the student's period marks of every kind (term, year, exam, final… — any
`PeriodKind`), and the names and order of the subjects. Any write to any of them — a mark, a term mark,
an approved correction, a transfer to another class, a closed or reopened term, through a service or
straight to the table — changes the fingerprint, so the next read renders the new state; no signal and
no hook in the writers (decision 0015).

Two levels, so that a miss is cheap and the evening can be warmed before it starts:

- the *content* (heading, terms, the table, absences) per student, term asked, day and language under
  the student's digest — shared by the child and each guardian, and filled by `manage.py diary_warm`;
- the *page* (the site's frame, the child tabs, the content) per user and frame under both digests (the
  student's and the tabs': the children's names and classes).

The rule values that the page uses (the decimals of averages) come from the Regulation through its own
cache key, read in the same round trip as the page; a page made under other values is not served.
A page or content is stored only when the fingerprint read after its data equals the one read before
(no write slipped between the queries).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.core.cache import cache
from django.http import Http404
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ejournal.access import policy
from ejournal.access.policy import Actor
from ejournal.core.templating import render_macro, templates_digest
from ejournal.curriculum.models import Subject, TeachingAssignment
from ejournal.journal.models import Attendance, Mark, PeriodMark, TermClosure, WorkType
from ejournal.people.models import Student, SubgroupMembership
from ejournal.regulation.selectors import CACHE_PREFIX as RULES_PREFIX
from ejournal.regulation.selectors import rule_values_cached
from ejournal.schools.models import AcademicYear, School, SchoolClass, Term
from ejournal.timetable.models import Lesson

from . import selectors
from .week import _Child, _children, _folded, _select, _t
from .week_values import WeekChild

CACHE_PREFIX = "diary:marks"  # + the templates' digest (`templates_digest`), as the week's keys
CACHE_SECONDS = 7 * 24 * 3600  # a stale key is never read again (its fingerprint is gone); this only frees memory

YEAR = "year"


def term_key(wanted: int | str | None) -> str:
    """The term asked as it goes into a key: «» (the current one), «year», or the term's id."""
    return "" if wanted is None else str(wanted)


# --- the fingerprint ---------------------------------------------------------------------


def _ctes() -> str:
    """The rows the parts below read more than once: the student, the years, the terms, the span shown, the
    marks of the span with their lessons, the period marks, the class's teaching assignments."""
    student, year, school_class = _t(Student), _t(AcademicYear), _t(SchoolClass)
    return (
        f"WITH st AS (SELECT id, school_id, school_class_id FROM {student} WHERE id = %(student)s), "
        # The years the page may show: the city's current one (the terms') and the class's own.
        f"yr AS (SELECT * FROM {year} WHERE (is_current AND municipality_id = "
        f"(SELECT municipality_id FROM {_t(School)} WHERE id = (SELECT school_id FROM st))) "
        f"OR id = (SELECT year_id FROM {school_class} WHERE id = (SELECT school_class_id FROM st))), "
        f"{_span_ctes()}"
        f"mk AS (SELECT m.id, m.lesson_id, m.value, m.symbol, m.work_type_id, m.weight, m.comment, m.created_at, "
        f"l.date, l.lesson_number, l.subject_id FROM {_t(Mark)} m JOIN {_t(Lesson)} l ON l.id = m.lesson_id "
        "WHERE m.student_id = %(student)s AND l.date BETWEEN (SELECT lo FROM span) AND (SELECT hi FROM span)), "
        f"pm AS (SELECT id, year_id, term_id, subject_id, kind, value FROM {_t(PeriodMark)} "
        "WHERE student_id = %(student)s AND year_id IN (SELECT id FROM yr)), "
        f"ta AS (SELECT id, subject_id, subgroup_id, starts_on, ends_on FROM {_t(TeachingAssignment)} "
        "WHERE school_class_id = (SELECT school_class_id FROM st)) "
    )


def _span_ctes() -> str:
    """The terms of the student's grade in the current year (`selectors.student_terms`) and the one shown
    (`selectors.term_pick`: the asked one, else the one running today, else the latest begun, else the first);
    the span whose marks and absences are read: its dates, or the year's on the year view."""
    running = "starts_on <= %(today)s AND %(today)s <= ends_on"
    return (
        f"tm AS (SELECT t.id, t.number, t.starts_on, t.ends_on FROM {_t(Term)} t "
        "WHERE t.school_id = (SELECT school_id FROM st) AND t.year_id IN (SELECT id FROM yr WHERE is_current) "
        f"AND ((SELECT school_class_id FROM st) IS NULL OR (SELECT grade FROM {_t(SchoolClass)} "
        "WHERE id = (SELECT school_class_id FROM st)) BETWEEN t.min_grade AND t.max_grade)), "
        "pick AS (SELECT starts_on, ends_on FROM tm WHERE tm.id = %(term)s UNION ALL "
        "SELECT starts_on, ends_on FROM (SELECT starts_on, ends_on, number FROM tm WHERE %(term)s IS NULL "
        f"ORDER BY ({running}) DESC, CASE WHEN {running} THEN starts_on END, "
        f"CASE WHEN {running} THEN number END, (starts_on <= %(today)s) DESC, "
        "CASE WHEN starts_on <= %(today)s THEN starts_on END DESC, CASE WHEN starts_on <= %(today)s THEN number END "
        "DESC, starts_on, number LIMIT 1) AS f), "
        "span AS (SELECT CASE WHEN %(year)s THEN (SELECT MIN(starts_on) FROM yr) ELSE (SELECT MIN(starts_on) FROM pick) "
        "END AS lo, CASE WHEN %(year)s THEN (SELECT MAX(ends_on) FROM yr) ELSE (SELECT MAX(ends_on) FROM pick) "
        "END AS hi), "
    )


def _parts() -> list[tuple[tuple[str, ...], str]]:
    """Every row the content shows, as (columns, source) over the CTEs of `_ctes`."""
    student, lesson = _t(Student), _t(Lesson)
    return [
        (("id", "last_name", "first_name", "middle_name", "school_id", "school_class_id", "is_active"),
         f"FROM {student} WHERE id = %(student)s"),
        (("id", "grade", "letter", "year_id"),
         f"FROM {_t(SchoolClass)} WHERE id = (SELECT school_class_id FROM st)"),
        (("id", "name", "starts_on", "ends_on", "is_current"), "FROM yr"),
        (("id", "year_id", "kind", "number", "starts_on", "ends_on", "min_grade", "max_grade"),
         f"FROM {_t(Term)} WHERE school_id = (SELECT school_id FROM st) AND year_id IN (SELECT id FROM yr)"),
        (("id", "term_id", "school_class_id"),
         f"FROM {_t(TermClosure)} WHERE school_id = (SELECT school_id FROM st) "
         "AND (school_class_id IS NULL OR school_class_id = (SELECT school_class_id FROM st))"),
        (("id", "subject_id", "subgroup_id", "starts_on", "ends_on"), "FROM ta"),
        (("id", "subgroup_id", "starts_on", "ends_on"),
         f"FROM {_t(SubgroupMembership)} WHERE student_id = %(student)s"),
        (("id", "lesson_id", "value", "symbol", "work_type_id", "weight", "comment", "created_at", "date",
          "lesson_number", "subject_id"), "FROM mk"),
        (("id", "name"), f"FROM {_t(WorkType)} WHERE id IN (SELECT work_type_id FROM mk)"),
        (("a.lesson_id", "a.code", "l.date"),
         f"FROM {_t(Attendance)} a JOIN {lesson} l ON l.id = a.lesson_id WHERE a.student_id = %(student)s "
         "AND l.date BETWEEN (SELECT lo FROM span) AND (SELECT hi FROM span)"),
        (("id", "year_id", "term_id", "subject_id", "kind", "value"), "FROM pm"),
        (("id", "name", "position"),
         f"FROM {_t(Subject)} WHERE id IN (SELECT subject_id FROM ta UNION SELECT subject_id FROM mk "
         "UNION SELECT subject_id FROM pm)"),
    ]  # fmt: skip


def _tabs(listed) -> list[tuple[tuple[str, ...], str]]:
    """The child tabs around the content: the actor's children and their classes."""
    student = _t(Student)
    return [
        (("id", "last_name", "first_name", "middle_name", "school_class_id", "birth_date"),
         f"FROM {student} WHERE id {listed('children')}"),
        (("id", "grade", "letter"),
         f"FROM {_t(SchoolClass)} WHERE id IN (SELECT school_class_id FROM {student} WHERE id {listed('children')})"),
    ]  # fmt: skip


def _fingerprint_sql(listed) -> str:
    """The student's digest, the tabs' digest and the student's school, in one statement."""
    return f"{_ctes()}SELECT ({_folded(_parts())}), ({_folded(_tabs(listed))}), (SELECT school_id FROM st)"


FINGERPRINT = "diary_marks_fingerprint_2"


@dataclass(frozen=True, slots=True)
class Stamp:
    student: str  # every row the content shows
    tabs: str  # the children's names and classes
    school_id: int | None


def fingerprint(*, student_id: int, children: list[int], wanted: str) -> Stamp:
    """The digests of every row the marks page `wanted` shows (one query); they change whenever any of them
    changes. The marks and absences are those of the term shown (the year's on the year view)."""
    term = int(wanted) if wanted not in ("", YEAR) else None
    types = {"student": "bigint", "children": "bigint[]", "term": "bigint", "today": "date", "year": "boolean"}
    params = {"student": student_id, "children": children, "term": term, "today": timezone.localdate(),
              "year": wanted == YEAR}  # fmt: skip
    ((folded, tabs, school_id),) = _select(FINGERPRINT, _fingerprint_sql, types, params)

    def digest(text) -> str:
        return hashlib.blake2b((text or "").encode(), digest_size=16).hexdigest()

    return Stamp(digest(folded), digest(tabs), school_id)


# --- the content, per student -------------------------------------------------------------


def _settings_version() -> str:
    """The settings that change what the content shows besides the database (a deploy that changes them)."""
    rules = repr(sorted((getattr(settings, "EJ_JOURNAL_RULES", None) or {}).items()))
    return hashlib.blake2b(rules.encode(), digest_size=6).hexdigest()


def _rules_key(school_id: int | None) -> str:
    return f"{RULES_PREFIX}{school_id}"


def _content_key(student_id: int, wanted: str, today: dt.date, stamp: Stamp) -> str:
    return (f"{CACHE_PREFIX}:c:{templates_digest()}:{student_id}:{wanted}:{today:%Y%m%d}:{translation.get_language()}:"
            f"{_settings_version()}:{stamp.student}")  # fmt: skip


@dataclass(frozen=True, slots=True)
class Content:
    title: str
    html: str
    rules: object  # the Regulation's rule values it was made under (its cache entry's value)


def _parse(wanted: str) -> int | str | None:
    return None if wanted == "" else (YEAR if wanted == YEAR else int(wanted))


def _render(student_id: int, wanted: str, actor: Actor | None) -> Content:
    """The content of the marks page (ORM selectors and the template: a constant number of queries)."""
    student = selectors.Student.objects.select_related(*selectors.STUDENT_RELATED).filter(pk=student_id).first()
    if student is None:
        raise Http404
    term_id = _parse(wanted)
    terms = selectors.student_terms(student)
    if isinstance(term_id, str):  # YEAR
        page = selectors.marks_year(actor=actor, student=student, terms=terms)
    else:
        term = selectors.term_pick(terms, term_id, timezone.localdate())
        page = selectors.marks_term(actor=actor, student=student, terms=terms, term=term)
    for row in page.rows:  # a term's marks by the compiled template: as Django includes they were most of a render
        row.marks_html = render_macro("diary/partials/mark.html", "marks", row.marks)
    html = render_to_string("diary/partials/marks_content.html",
                            {"page": page, "is_year": term_id == YEAR, "student": student})  # fmt: skip
    rules = _rules_now(student.school_id)
    title = _("Отметки: %(name)s") % {"name": student.full_name}
    return Content(title=title, html=html, rules=rules)


def _rules_now(school_id: int | None):
    """The Regulation's rule values of the school as its cache holds them (read through `rules_for`)."""
    return rule_values_cached(school_id) if school_id else None  # fills the Regulation's key when missing


def content(*, student_id: int, wanted: str, stamp: Stamp, rules, actor: Actor | None = None) -> Content:
    """The student's content from the cache if it was made from the same rows and rules, else rendered (and kept
    when no write slipped in while it was read)."""
    today = timezone.localdate()
    key = _content_key(student_id, wanted, today, stamp)
    found = cache.get(key)
    if found is not None and rules is not None and found.rules == rules:
        return found
    made = _render(student_id, wanted, actor)
    if fingerprint(student_id=student_id, children=[student_id], wanted=wanted).student == stamp.student:
        cache.set(key, made, CACHE_SECONDS)
    return made


def warm(student_id: int, wanted: str = "") -> bool:
    """Fill the student's content for `wanted` (the current term by default); True when it was rendered."""
    stamp = fingerprint(student_id=student_id, children=[student_id], wanted=wanted)
    key = _content_key(student_id, wanted, timezone.localdate(), stamp)
    found = cache.get(key)
    rules = _rules_now(stamp.school_id)
    if found is not None and found.rules == rules:
        return False
    content(student_id=student_id, wanted=wanted, stamp=stamp, rules=rules)
    return True


# --- the page, per user -------------------------------------------------------------------


def tabs(children: list[int]) -> list[WeekChild]:
    """The child tabs of the page's header, read as the week's are (one prepared query, in the tabs' order): the
    ORM's students with their schools and classes cost a warmed miss more than its content (bench/cold_cost.py)."""
    return _children(children)


class Frame(Protocol):
    """The site's page around the content (`week.Frame`: `key`, `render(page)` with `title` and `content`)."""

    key: str | None

    def render(self, page) -> str: ...


@dataclass(frozen=True, slots=True)
class MarksPage:
    title: str
    content: str


def marks_page(*, actor: Actor, student_id: int, wanted: str, frame, header) -> str:
    """A child's marks page (a term or the year) as this actor sees it; from the cache while nothing it shows
    has changed. `header(children)` renders the child tabs and the diary's menu. A child that is not the actor's
    is a 404; so is a term that is not the child's (never cached)."""
    if student_id not in actor.student_ids or not policy.check(actor, "can_read_diary", _Child(student_id)):
        raise Http404
    children = sorted(actor.student_ids)
    stamp = fingerprint(student_id=student_id, children=children, wanted=wanted)
    today = timezone.localdate()
    key = (f"{CACHE_PREFIX}:p:{templates_digest()}:{actor.user_id}:{actor.role}:{student_id}:{wanted}:{today:%Y%m%d}:"
           f"{translation.get_language()}:{_settings_version()}:{stamp.student}:{stamp.tabs}:{frame.key}")  # fmt: skip
    rules_key = _rules_key(stamp.school_id)
    found = cache.get_many([key, rules_key]) if frame.key is not None else {}
    rules = found.get(rules_key)
    entry = found.get(key)
    if entry is not None and rules is not None and entry[0] == rules:
        return entry[1]
    if rules is None:
        rules = _rules_now(stamp.school_id)
    made = content(student_id=student_id, wanted=wanted, stamp=stamp, rules=rules, actor=actor)
    body = frame.render(MarksPage(title=made.title, content=header(children) + made.html))
    if frame.key is not None and fingerprint(student_id=student_id, children=children, wanted=wanted) == stamp:
        cache.set(key, (made.rules, body), CACHE_SECONDS)
    return body
