"""Period marks (term, year, exam, final) and closing a term."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ejournal.access import policy
from ejournal.access.policy import Actor
from ejournal.core.audit import audit_record
from ejournal.curriculum.models import TeachingAssignment
from ejournal.people.models import Enrolment, Student
from ejournal.schools.models import SchoolClass, Term
from ejournal.schools.services import date_ru

from ..models import (
    MARK_FAIL,
    MARK_PASS,
    CorrectionKind,
    CorrectionRequest,
    PeriodKind,
    PeriodMark,
    ScaleKind,
    TermClosure,
)
from ..rules import rules_for
from .common import ConflictError, admit, record_changes, require_keeper
from .corrections import correction_request_file, period_mark_proposal
from .setup import scale_of

SPECIAL = ("н/а", "осв")


def allowed_period_values(scale: str) -> tuple[str, ...]:
    """Period marks a subject's scale allows, «н/а» (not attested) and «осв» (exempt) included."""
    if scale == ScaleKind.PASS_FAIL:
        return (MARK_PASS, MARK_FAIL, *SPECIAL)
    low = 2 if scale == ScaleKind.FIVE_FROM_TWO else 1
    return (*(str(v) for v in range(5, low - 1, -1)), *SPECIAL)


def _period(assignment: TeachingAssignment, kind: str, term: Term | None) -> tuple[Term, dt.date, dt.date]:
    """The term whose deadline and closure govern the mark, and the span the student must be enrolled in."""
    grade = assignment.school_class.grade
    terms = Term.objects.filter(school_id=assignment.school_id, year_id=assignment.year_id).filter(
        min_grade__lte=grade, max_grade__gte=grade
    )
    if kind == PeriodKind.TERM:
        if term is None or not terms.filter(pk=term.pk).exists():
            raise ValidationError(_("Выберите учебный период этого класса."), code="term")
        return term, term.starts_on, term.ends_on
    if term is not None:
        raise ValidationError(_("Годовая и итоговая отметки ставятся без учебного периода."), code="term")
    last = terms.order_by("-ends_on").first()
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
    term (year kinds: of the year's last term); later or in a closed term
    only with an approved correction. `expected_version` 0 means «I saw none».
    """
    from ..selectors import student_period_suggestion

    require_keeper(actor, assignment)
    if kind not in PeriodKind.values:
        raise ValidationError(_("Неизвестный вид итоговой отметки."))
    value = (value or "").strip()
    allowed = allowed_period_values(scale_of(assignment.school, assignment.subject_id))
    if value not in allowed:
        raise ValidationError(_("Отметка за период: одно из значений %(values)s.") % {"values": ", ".join(allowed)})
    governing, start, end = _period(assignment, kind, term)
    if not _enrolled_during(student, assignment.school_class_id, start, end):
        raise ValidationError(
            _("%(student)s не обучался в классе %(cls)s в этом периоде.")
            % {"student": student.full_name, "cls": assignment.school_class},
            code="not_enrolled",
        )
    rules = rules_for(assignment.school)
    suggestion = student_period_suggestion(assignment=assignment, student=student, term=term) if term else None
    term_id = term.pk if term else None
    proposal = period_mark_proposal(kind=kind, value=value, subject_id=assignment.subject_id, term_id=term_id)
    correction = correction or _approved(actor, student, proposal)
    with transaction.atomic():
        admission = admit(
            actor=actor, kind=CorrectionKind.PERIOD_MARK, term=governing, school_class_id=assignment.school_class_id,
            deadline=governing.ends_on + dt.timedelta(days=rules.period_mark_grace_days), proposal=proposal,
            correction=correction, student=student,
        )  # fmt: skip
        lookup = {"student": student, "subject_id": assignment.subject_id, "kind": kind}
        lookup.update({"term": term} if kind == PeriodKind.TERM else {"year_id": assignment.year_id})
        current = PeriodMark.objects.select_for_update().filter(**lookup).first()
        if (current.version if current else 0) != expected_version:
            raise ConflictError()
        old = current.value if current else None
        if current is None:
            fields = {**lookup, "year_id": assignment.year_id, "school_class_id": assignment.school_class_id}
            current = PeriodMark(school_id=assignment.school_id, **fields)
        else:
            current.version += 1
        current.value = value
        current.suggested = suggestion.value if suggestion else ""
        current.average = suggestion.average if suggestion else None
        current.confirmed_by_id, current.confirmed_at = actor.user_id, timezone.now()
        current.save()
        if old != value:
            record_changes(
                actor=actor, school_id=assignment.school_id, entity="period_mark", entity_id=current.pk,
                action="create" if old is None else "update", changes={kind: (old, value)},
                admission=admission, student_id=student.pk, term_id=term_id,
            )  # fmt: skip
    return current


def _approved(actor: Actor, student: Student, proposal: dict) -> CorrectionRequest | None:
    """The actor's approved, not yet used request for exactly this period mark (the teacher just types it again)."""
    requests = CorrectionRequest.objects.filter(
        status=CorrectionRequest.Status.APPROVED, filed_by_id=actor.user_id, kind=CorrectionKind.PERIOD_MARK,
        student_id=student.pk, lesson__isnull=True,
    )  # fmt: skip
    return next((r for r in requests if r.proposed == proposal), None)


def period_mark_correction_file(
    *, assignment: TeachingAssignment, term: Term, student: Student, value: str, reason: str, actor: Actor
) -> CorrectionRequest:
    """Ask to set a term mark that was refused as late or in a closed term; the value is checked first."""
    require_keeper(actor, assignment)
    value = (value or "").strip()
    allowed = allowed_period_values(scale_of(assignment.school, assignment.subject_id))
    if value not in allowed:
        raise ValidationError(_("Отметка за период: одно из значений %(values)s.") % {"values": ", ".join(allowed)})
    _period(assignment, PeriodKind.TERM, term)
    if student.school_id != assignment.school_id:
        raise ValidationError(_("Ученик не из этого журнала."), code="unknown")
    proposal = period_mark_proposal(
        kind=PeriodKind.TERM, value=value, subject_id=assignment.subject_id, term_id=term.pk
    )
    held = PeriodMark.objects.filter(
        student=student,
        school_class_id=assignment.school_class_id,
        subject_id=assignment.subject_id,
        kind=PeriodKind.TERM,
        term=term,
    ).values_list("value", flat=True)
    return correction_request_file(
        kind=CorrectionKind.PERIOD_MARK, proposed=proposal, reason=reason, student=student, assignment=assignment,
        term=term, current=next(iter(held), ""), actor=actor,
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
            school_id=term.school_id, term=term, school_class=school_class, closed_by_id=actor.user_id
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
