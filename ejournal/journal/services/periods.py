"""Period marks (term, year, exam, final) and closing a term."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from ejournal.access import policy
from ejournal.access.policy import Actor
from ejournal.core.audit import audit_record
from ejournal.curriculum.models import TeachingAssignment
from ejournal.people.models import Enrolment, Student
from ejournal.schools.models import SchoolClass, Term
from ejournal.schools.services import date_ru

from ..averages import Suggestion
from ..models import (
    CorrectionKind,
    CorrectionRequest,
    PeriodKind,
    PeriodMark,
    TermClosure,
)
from ..rules import JournalRules, rules_for
from ..year_suggest import YearSuggestion, YearWindow, year_window
from .common import ConflictError, admit, record_changes, require_keeper, today
from .corrections import correction_request_file, period_mark_proposal
from .setup import allowed_period_values, scale_of


def _period(assignment: TeachingAssignment, kind: str, term: Term | None) -> tuple[Term, dt.date, dt.date]:
    """The term whose deadline and closure govern the mark, and the span the student must be enrolled in."""
    terms = _class_terms(assignment)
    if kind == PeriodKind.TERM:
        if term is None or not terms.filter(pk=term.pk).exists():
            raise ValidationError(_("Выберите учебный период этого класса."), code="term")
        return term, term.starts_on, term.ends_on
    if term is not None:
        raise ValidationError(_("Годовая и итоговая отметки ставятся без учебного периода."), code="term")
    last = terms.order_by("-ends_on", "-pk").first()
    if last is None:
        raise ValidationError(_("В учебном году нет учебных периодов."), code="term")
    return last, assignment.year.starts_on, last.ends_on


def _enrolled_during(student: Student, school_class_id: int, start: dt.date, end: dt.date) -> bool:
    overlap = Q(starts_on__lte=end) & (Q(ends_on__isnull=True) | Q(ends_on__gte=start))
    return Enrolment.objects.filter(overlap, student_id=student.pk, school_class_id=school_class_id).exists()


def period_mark_set(
    *,
    assignment: TeachingAssignment,
    student: Student,
    value: str,
    kind: str = PeriodKind.TERM,
    term: Term | None = None,
    expected_version: int = 0,
    correction: CorrectionRequest | None = None,
    actor: Actor,
) -> PeriodMark:
    """Confirm the suggested period mark or set another value; keep the suggestion and average shown.

    `value` is «5»…«1» on the subject's scale, «зач»/«незач», «н/а» or «осв».
    `term` is required for kind «term» only. Deadline: the last day of the
    term; year, exam and final marks have the year's window (`year_suggest.year_window`:
    they open before the last term ends, year marks lock with the last term, exam
    and final marks at their own deadline). Later or in a closed term only with
    an approved correction. `expected_version` 0 means «I saw none»; the value
    the mark already has changes nothing (no new version, no change record).
    """
    value = _period_value_checked(actor, assignment, kind, value)
    rules = rules_for(assignment.school)
    suggestion: Suggestion | YearSuggestion | None
    if kind == PeriodKind.TERM:
        governing, deadline, closable, suggestion = _term_mark_terms(assignment, student, term, rules)
    else:
        governing, deadline, closable, suggestion = _year_mark_terms(assignment, student, kind, term, rules)
    term_id = term.pk if term else None
    proposal = period_mark_proposal(kind=kind, value=value, subject_id=assignment.subject_id, term_id=term_id)
    correction = correction or _approved(actor, student, proposal)
    try:
        return _period_mark_write(assignment, student, value, kind, term, expected_version, suggestion, actor,
                                  admit_args={"term": governing, "deadline": deadline, "closable": closable,
                                              "proposal": proposal, "correction": correction})  # fmt: skip
    except IntegrityError:
        # Two first writes at once: the lock found no row to hold, the unique index let one insert through.
        raise ConflictError() from None


def _period_value_checked(actor: Actor, assignment: TeachingAssignment, kind: str, value: str) -> str:
    """The trimmed period mark `value`; refuses another keeper, an unknown kind, a value off the subject's scale."""
    require_keeper(actor, assignment)
    if kind not in PeriodKind.values:
        raise ValidationError(_("Неизвестный вид итоговой отметки."))
    value = (value or "").strip()
    allowed = allowed_period_values(scale_of(assignment.school, assignment.subject_id))
    if value not in allowed:
        raise ValidationError(_("Отметка за период: одно из значений %(values)s.") % {"values": ", ".join(allowed)})
    return value


def _period_mark_write(
    assignment: TeachingAssignment,
    student: Student,
    value: str,
    kind: str,
    term: Term | None,
    expected_version: int,
    suggestion: Any,
    actor: Actor,
    *,
    admit_args: dict[str, Any],
) -> PeriodMark:
    """The write of `period_mark_set`, in one transaction: the version check, the admission, the row, its record."""
    term_id = term.pk if term else None
    with transaction.atomic():
        lookup = {"student": student, "subject_id": assignment.subject_id, "kind": kind}
        lookup.update({"term": term} if kind == PeriodKind.TERM else {"year_id": assignment.year_id})
        current = PeriodMark.objects.select_for_update().filter(**lookup).first()
        if (current.version if current else 0) != expected_version:
            raise ConflictError()
        if current is not None and current.value == value:
            return current  # posted again unchanged (a second click, a form sent back): nothing to write
        admission = admit(actor=actor, kind=CorrectionKind.PERIOD_MARK, school_class_id=assignment.school_class_id,
                          student=student, **admit_args)  # fmt: skip
        old = current.value if current else None
        if current is None:
            fields = {**lookup, "year_id": assignment.year_id, "school_class_id": assignment.school_class_id}
            current = PeriodMark(school_id=assignment.school_id, **fields)
        else:
            current.version += 1
        current.value = value
        current.suggested = suggestion.value if suggestion else ""
        current.average = suggestion.average if suggestion else None
        current.confirmed_by_id, current.confirmed_at = actor.user_id_required, timezone.now()
        current.save()
        record_changes(
            actor=actor, school_id=assignment.school_id, entity="period_mark", entity_id=current.pk,
            action="create" if old is None else "update", changes={kind: (old, value)},
            admission=admission, student_id=student.pk, term_id=term_id,
        )  # fmt: skip
    return current


def _term_mark_terms(
    assignment: TeachingAssignment, student: Student, term: Term | None, rules: JournalRules
) -> tuple[Term, dt.date, bool, Suggestion]:
    """A term mark's governing term, deadline, whether a closure locks it, and the suggestion; refuses a stranger."""
    from ..selectors import student_period_suggestion

    governing, start, end = _period(assignment, PeriodKind.TERM, term)
    if not _enrolled_during(student, assignment.school_class_id, start, end):
        raise _not_enrolled(student, assignment)
    suggestion = student_period_suggestion(assignment=assignment, student=student, term=governing)  # the term itself
    return governing, governing.ends_on + dt.timedelta(days=rules.period_mark_grace_days), True, suggestion


def _not_enrolled(student: Student, assignment: TeachingAssignment) -> ValidationError:
    return ValidationError(
        _("%(student)s не обучался в классе %(cls)s в этом периоде.")
        % {"student": student.full_name, "cls": assignment.school_class},
        code="not_enrolled",
    )


def year_window_of(assignment: TeachingAssignment, kind: str, rules: JournalRules) -> YearWindow:
    """The year window of the assignment's class; refuses a mark before it opens and an exam mark without an exam."""
    governing, _start, _end = _period(assignment, kind, None)
    window = year_window(governing, rules)
    if today() < window.opens_on:
        raise ValidationError(
            _("Годовые, экзаменационные и итоговые отметки выставляются с %(date)s (за %(days)s дн. до конца "
              "периода «%(term)s», по положению о ведении журнала).")
            % {"date": date_ru(window.opens_on), "days": rules.year_marks_open_days, "term": governing},
            code="early",
        )  # fmt: skip
    if kind == PeriodKind.EXAM:
        from ..selectors.year import subject_has_exam

        if not subject_has_exam(assignment.school_class, assignment.subject_id):
            raise ValidationError(
                _("По этому предмету у класса нет экзамена (отмечается в учебном плане)."), code="no_exam"
            )
    return window


def _year_mark_terms(
    assignment: TeachingAssignment, student: Student, kind: str, term: Term | None, rules: JournalRules
) -> tuple[Term, dt.date, bool, YearSuggestion | None]:
    """A year, exam or final mark's last term, deadline, whether closing the last term locks it, and the suggestion."""
    from ..selectors.year import subject_has_exam, year_rows

    if term is not None:
        raise ValidationError(_("Годовая и итоговая отметки ставятся без учебного периода."), code="term")
    window = year_window_of(assignment, kind, rules)
    terms = list(_class_terms(assignment))
    has_exam = kind == PeriodKind.EXAM or subject_has_exam(assignment.school_class, assignment.subject_id)
    row = next((r for r in year_rows(assignment, terms, rules, has_exam=has_exam) if r.student.student.pk ==
                student.pk), None)  # fmt: skip
    if row is None:  # not in the journal on the year's last day: left mid-year, or never here
        raise ValidationError(
            _("%(student)s не числится в классе %(cls)s на конец учебного года: годовую отметку ставит школа, "
              "где он учится.") % {"student": student.full_name, "cls": assignment.school_class},
            code="not_enrolled",
        )  # fmt: skip
    suggestion = row.suggestion(kind) if kind != PeriodKind.EXAM else None
    return window.last_term, window.due(kind), window.locks_with_term(kind), suggestion


def _class_terms(assignment: TeachingAssignment) -> QuerySet[Term]:
    grade = assignment.school_class.grade
    return Term.objects.filter(
        school_id=assignment.school_id, year_id=assignment.year_id, min_grade__lte=grade, max_grade__gte=grade
    ).order_by("starts_on", "pk")


def _approved(actor: Actor, student: Student, proposal: dict) -> CorrectionRequest | None:
    """The actor's approved, not yet used request for exactly this period mark (the teacher just types it again)."""
    requests = CorrectionRequest.objects.filter(
        status=CorrectionRequest.Status.APPROVED, filed_by_id=actor.user_id, kind=CorrectionKind.PERIOD_MARK,
        student_id=student.pk, lesson__isnull=True,
    )  # fmt: skip
    return next((r for r in requests if r.proposed == proposal), None)


def period_mark_correction_file(
    *,
    assignment: TeachingAssignment,
    term: Term | None,
    student: Student,
    value: str,
    reason: str,
    kind: str = PeriodKind.TERM,
    actor: Actor,
) -> CorrectionRequest:
    """Ask to set a period mark that was refused as late or in a closed term; the value is checked first.

    A term mark names its `term`; a year, exam or final mark names none (the request keeps the year's last term).
    """
    value = _period_value_checked(actor, assignment, kind, value)
    if kind == PeriodKind.TERM:
        _period(assignment, PeriodKind.TERM, term)
        held_lookup = {"kind": kind, "term": term, "school_class_id": assignment.school_class_id}
    else:
        term = year_window_of(assignment, kind, rules_for(assignment.school)).last_term if term is None else None
        if term is None:
            raise ValidationError(_("Годовая и итоговая отметки ставятся без учебного периода."), code="term")
        held_lookup = {"kind": kind, "year_id": assignment.year_id}
    if student.school_id != assignment.school_id:
        raise ValidationError(_("Ученик не из этого журнала."), code="unknown")
    term_id = term.pk if kind == PeriodKind.TERM and term else None
    proposal = period_mark_proposal(kind=kind, value=value, subject_id=assignment.subject_id, term_id=term_id)
    held = PeriodMark.objects.filter(student=student, subject_id=assignment.subject_id, **held_lookup)
    return correction_request_file(
        kind=CorrectionKind.PERIOD_MARK, proposed=proposal, reason=reason, student=student, assignment=assignment,
        term=term, current=next(iter(held.values_list("value", flat=True)), ""), actor=actor,
    )  # fmt: skip


def term_closable_from(term: Term) -> dt.date:
    """The first day a term may be closed: the day after its last one (its last lessons and marks come first)."""
    return term.ends_on + dt.timedelta(days=1)


def term_close_check(*, term: Term, school_class: SchoolClass | None, actor: Actor) -> None:
    """Refuse a closing that cannot be done: not the closer's, a term not ended yet, a foreign class, closed already."""
    policy.enforce(actor, "can_close_term", term)
    if timezone.localdate() < term_closable_from(term):
        raise ValidationError(
            _("Период «%(term)s» ещё не закончился: его последний день — %(date)s. Закрыть его можно с %(from)s.")
            % {"term": term, "date": date_ru(term.ends_on), "from": date_ru(term_closable_from(term))},
            code="not_ended",
        )
    if school_class is not None and (
        school_class.school_id != term.school_id or not term.min_grade <= school_class.grade <= term.max_grade
    ):
        raise ValidationError(_("Этот класс не учится по выбранному периоду."), code="class")
    same = Q(school_class__isnull=True) | (Q(school_class=school_class) if school_class else Q(pk__in=[]))
    if TermClosure.objects.filter(same, term=term).exists():
        raise ValidationError(_("Период уже закрыт."), code="closed")


def term_close(*, term: Term, school_class: SchoolClass | None = None, actor: Actor) -> TermClosure:
    """Close an ended term for one class or the whole school (deputy head, director): later changes need a correction."""
    term_close_check(term=term, school_class=school_class, actor=actor)
    with transaction.atomic():
        closure = TermClosure.objects.create(
            school_id=term.school_id, term=term, school_class=school_class, closed_by_id=actor.user_id_required
        )
        audit_record(actor=actor, action="term_closed", obj=closure, changes={"closed": [False, True]})
    return closure


def term_reopen(*, closure: TermClosure, reason: str, actor: Actor) -> None:
    """Reopen a closed term (deputy head, director), with a reason kept in the audit log."""
    policy.enforce(actor, "can_close_term", closure)
    if not reason.strip():
        raise ValidationError(_("Укажите причину открытия периода."), code="reason")
    with transaction.atomic():
        audit_record(actor=actor, action="term_reopened", obj=closure, changes={"closed": [True, False]}, reason=reason)
        closure.delete()
