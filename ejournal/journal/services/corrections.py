"""Correction requests: a teacher files the exact late change with a reason; the deputy head or director decides.

The `*_proposal` helpers build the canonical description of a change; the
write services build the same description and compare, so an approval lets
exactly that change through (see `common.admit`).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ejournal.access import policy
from ejournal.access.policy import Actor
from ejournal.core.audit import audit_record
from ejournal.curriculum.models import TeachingAssignment
from ejournal.people.models import Student
from ejournal.schools.models import Term
from ejournal.timetable.models import Lesson

from ..models import CorrectionKind, CorrectionRequest, Mark, WorkType

REASON_MAX = 2000


def mark_proposal(
    *,
    mark: Mark | None = None,
    value: int | None = None,
    symbol: str = "",
    work_type: WorkType | None = None,
    delete: bool = False,
) -> dict[str, Any]:
    """A new mark (`mark` None), a change of `mark` to value/symbol/work type, or its deletion."""
    if delete:
        return {"mark": mark.pk if mark else None, "delete": True}
    return {
        "mark": mark.pk if mark else None,
        "value": value,
        "symbol": symbol or "",
        "work_type": work_type.code if work_type else None,
    }


def attendance_proposal(*, code: str = "", late_minutes: int | None = None) -> dict[str, Any]:
    """Set attendance to `code` (with minutes for «оп»); an empty code clears it (present)."""
    return {"code": code, "late_minutes": late_minutes}


def topic_proposal(*, topic: str) -> dict[str, Any]:
    return {"topic": topic.strip()}


def homework_proposal(*, text: str) -> dict[str, Any]:
    return {"text": text.strip()}


def period_mark_proposal(*, kind: str, value: str, subject_id: int, term_id: int | None) -> dict[str, Any]:
    return {"kind": kind, "value": value, "subject": subject_id, "term": term_id}


def correction_request_file(
    *,
    kind: str,
    proposed: dict[str, Any],
    reason: str,
    lesson: Lesson | None = None,
    student: Student | None = None,
    assignment: TeachingAssignment | None = None,
    term: Term | None = None,
    current: str = "",
    actor: Actor,
) -> CorrectionRequest:
    """File a request to make one late change; `proposed` comes from the matching `*_proposal` helper.

    Lesson-level kinds (mark, attendance, topic, homework) name the `lesson`
    (and the `student` for marks and attendance); a period mark names the
    `assignment`, the `student` and, for a term mark, the `term`. `current` is what the journal
    holds now, as the page shows it (the reviewer sees «было → станет»).
    """
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Укажите причину исправления."), code="reason")
    if kind not in CorrectionKind.values:
        raise ValidationError(_("Неизвестный вид исправления."))
    keeper_target = assignment if kind == CorrectionKind.PERIOD_MARK else lesson
    if keeper_target is None or (kind in (CorrectionKind.MARK, CorrectionKind.ATTENDANCE) and student is None):
        raise ValidationError(_("Укажите урок и ученика, к которым относится исправление."))
    if not policy.check(actor, "can_keep_journal", keeper_target):
        raise ValidationError(_("Запросить исправление может только учитель, который ведёт этот журнал."))
    with transaction.atomic():
        request = CorrectionRequest.objects.create(
            school_id=keeper_target.school_id, kind=kind, lesson=lesson, student=student, term=term,
            subject_id=assignment.subject_id if assignment else None, proposed=proposed,
            reason=reason[:REASON_MAX], filed_by_id=actor.user_id_required, filed_role=actor.role or "", current=current,
        )  # fmt: skip
        audit_record(actor=actor, action="correction_filed", obj=request, changes={"proposed": proposed}, reason=reason)
    return request


def _decide(request: CorrectionRequest, status: str, note: str, actor: Actor) -> CorrectionRequest:
    policy.enforce(actor, "can_approve_correction", request)
    with transaction.atomic():
        current = CorrectionRequest.objects.select_for_update().get(pk=request.pk)
        if current.status != CorrectionRequest.Status.PENDING:
            raise ValidationError(_("Этот запрос уже рассмотрен."), code="decided")
        current.status = status
        current.decided_by_id, current.decided_role = actor.user_id, actor.role or ""
        current.decided_at, current.decision_note = timezone.now(), note.strip()
        current.save(update_fields=["status", "decided_by", "decided_role", "decided_at", "decision_note"])
        audit_record(
            actor=actor, action=f"correction_{status}", obj=current,
            changes={"status": [CorrectionRequest.Status.PENDING, status]}, reason=current.decision_note,
        )  # fmt: skip
    return current


def correction_request_approve(*, request: CorrectionRequest, note: str = "", actor: Actor) -> CorrectionRequest:
    """Approve: the filer may now make exactly the proposed change, once (deputy head or director)."""
    return _decide(request, CorrectionRequest.Status.APPROVED, note, actor)


def correction_request_reject(*, request: CorrectionRequest, note: str, actor: Actor) -> CorrectionRequest:
    """Reject with a stated reason (deputy head or director)."""
    if CorrectionRequest.objects.filter(pk=request.pk).exclude(status=CorrectionRequest.Status.PENDING).exists():
        raise ValidationError(_("Этот запрос уже рассмотрен."), code="decided")  # another tab decided it first
    if not note.strip():
        raise ValidationError(_("Укажите причину отказа."), code="reason")
    return _decide(request, CorrectionRequest.Status.REJECTED, note, actor)


def corrections_seen(*, actor: Actor, ids: list[int]) -> int:
    """The filer has seen the decisions on these requests (their «Мои запросы» page showed them)."""
    if not ids:
        return 0
    return CorrectionRequest.objects.filter(
        pk__in=ids, filed_by_id=actor.user_id, decided_at__isnull=False, decision_seen_at__isnull=True
    ).update(decision_seen_at=timezone.now())
