"""Actor-scoped getters of the journal's pages: a foreign id is a 404, an own object without the right a 403."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from ejournal.access import policy
from ejournal.access.policy import Actor
from ejournal.curriculum.models import TeachingAssignment
from ejournal.people.models import Student
from ejournal.schools.models import SchoolClass, Term
from ejournal.timetable.models import Lesson

from .. import sql
from ..models import Homework, HomeworkAttachment, LessonNote, TermClosure, WorkType
from ..services.lessons import next_lesson_date
from .common import today
from .grid import journal_grid
from .history import lesson_history
from .plans import planned_topic_next


def assignment_get(*, actor: Actor, pk: int) -> TeachingAssignment:
    """A teaching assignment of the actor's school that the actor may read the journal of."""
    # Not the teacher: the journal shows no name of it. A prepared read (`journal.sql`): every page and save asks.
    assignment = sql.assignment(pk, actor.school_id_required)
    if assignment is None:
        raise Http404
    policy.enforce(actor, "can_view_journal", assignment)
    return assignment


def class_terms(school_class: SchoolClass) -> list[Term]:
    """The terms the class's grade is marked by in its year, in order; each knows whether it is closed for the class.

    `is_closed` is read in the same query (a closure for the class or the whole school), so the journal page
    does not ask again.
    """
    return sql.class_terms(school_class)  # a prepared read (`journal.sql`): every page and save asks


def term_current(terms: list[Term], day: dt.date | None = None) -> Term | None:
    """The term containing `day` (today), else the last one begun before it, else the first."""
    day = day or today()
    begun = [t for t in terms if t.starts_on <= day]
    return begun[-1] if begun else (terms[0] if terms else None)


def term_of_class(*, school_class: SchoolClass, pk: int, terms: list[Term] | None = None) -> Term:
    """The class's term `pk` (404 otherwise); `terms`, when the caller has them, saves reading them again."""
    terms = class_terms(school_class) if terms is None else terms
    term = next((t for t in terms if t.pk == pk), None)
    if term is None:
        raise Http404
    return term


def term_closed(term: Term, school_class_id: int) -> bool:
    return TermClosure.objects.filter(
        Q(school_class__isnull=True) | Q(school_class_id=school_class_id), term=term
    ).exists()


def my_journals(*, actor: Actor) -> list[tuple[TeachingAssignment, Term | None]]:
    """The journals the actor keeps (a teacher) or oversees (administration) this year, with the current term."""
    qs = TeachingAssignment.objects.filter(school=actor.school_id, year__is_current=True).select_related(
        "school_class", "subject", "subgroup", "teacher"
    )
    if not policy.check(actor, "can_view_school_plan"):
        qs = qs.filter(teacher_id=actor.user_id)
    rows = list(qs.order_by("school_class__grade", "school_class__letter", "subject__position", "subject__name"))
    terms = list(Term.objects.filter(school=actor.school_id, year__is_current=True).order_by("starts_on"))
    result = []
    for a in rows:
        grade = a.school_class.grade
        result.append((a, term_current([t for t in terms if t.min_grade <= grade <= t.max_grade])))
    return result


def lesson_get(*, actor: Actor, pk: int) -> Lesson:
    """A dated lesson of the actor's school whose journal the actor may read."""
    lesson = get_object_or_404(
        Lesson.objects.select_related("assignment", "school_class", "subject", "school", "subgroup", "teacher"),
        pk=pk, school_id=actor.school_id,
    )  # fmt: skip
    policy.enforce(actor, "can_view_journal", lesson)
    return lesson


def student_of_school(*, actor: Actor, pk: int) -> Student:
    return get_object_or_404(Student, pk=pk, school_id=actor.school_id)


def lesson_editor(*, actor: Actor, lesson: Lesson) -> SimpleNamespace:
    """The lesson column editor: homework with files, the control flag, the kinds of work, the next topic, history."""
    homework = Homework.objects.filter(lesson=lesson).prefetch_related("attachments").first()
    note = LessonNote.objects.filter(lesson=lesson).select_related("planned_topic", "work_type").first()
    return SimpleNamespace(
        lesson=lesson, homework=homework, note=note,
        work_types=list(WorkType.objects.filter(school_id=lesson.school_id, is_active=True)),
        suggested_topic=planned_topic_next(actor=actor, assignment=lesson.assignment, before=lesson),
        next_date=next_lesson_date(lesson), history=lesson_history(actor=actor, lesson=lesson),
    )  # fmt: skip


def attachment_get(*, actor: Actor, pk: int) -> HomeworkAttachment:
    """A homework file the actor may read (the journal's readers); foreign schools' files are 404."""
    attachment = get_object_or_404(
        HomeworkAttachment.objects.select_related("homework__lesson"), pk=pk, school_id=actor.school_id
    )
    policy.enforce(actor, "can_view_journal", attachment.homework.lesson)
    return attachment


def class_get(*, actor: Actor, pk: int) -> SchoolClass:
    """A class of the actor's school whose journals the actor may read (class teacher, administration)."""
    cls = get_object_or_404(SchoolClass.objects.select_related("school", "year"), pk=pk, school_id=actor.school_id)
    policy.enforce(actor, "can_view_journal", SimpleNamespace(school_id=cls.school_id, school_class_id=cls.pk))
    return cls


def journal_page(
    *,
    actor: Actor,
    assignment: TeachingAssignment,
    term: Term,
    terms: list[Term] | None = None,
) -> SimpleNamespace:
    """The journal page: the grid, the class's terms, whether the term is closed and whether the actor writes.

    `terms` are the class's terms the caller already read (`class_terms`); they are not read again.
    """
    closed, can_edit = journal_closed(term, assignment), policy.check(actor, "can_keep_journal", assignment)
    return SimpleNamespace(
        grid=journal_grid(actor=actor, assignment=assignment, term=term),
        terms=class_terms(assignment.school_class) if terms is None else terms,
        closed=closed, can_edit=can_edit, editable=can_edit,
        can_history=policy.check(actor, "can_view_journal", assignment),
        can_overview=policy.check(
            actor, "can_view_journal",
            SimpleNamespace(school_id=assignment.school_id, school_class_id=assignment.school_class_id),
        ),
    )  # fmt: skip


def journal_closed(term: Term, assignment: TeachingAssignment) -> bool:
    """Whether the journal's term is closed for its class (read with the terms by `class_terms`, else now)."""
    return term.is_closed if hasattr(term, "is_closed") else term_closed(term, assignment.school_class_id)


def journal_editable(*, actor: Actor, assignment: TeachingAssignment, term: Term) -> bool:
    """Whether the actor types into the journal's cells: keeps it.

    In a closed term (or past a deadline) the cells still take typing: the save is refused and offers
    «Запросить исправление» with the typed value, so a correction is one step from the cell.
    """
    return policy.check(actor, "can_keep_journal", assignment)
