"""«Принять предложенные» for year and final marks of a journal, in one transaction (decision 0010).

Only students without a mark of the kind get one (a mark the teacher set is
never overwritten); students whose suggestion carries a warning (a term
without a mark, «н/а» beside marks, no exam mark yet) are left for the
teacher to decide one by one; students with nothing to suggest from are
skipped. The window, the deadline and the lock apply to the batch as a whole.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ejournal.access.policy import Actor
from ejournal.curriculum.models import TeachingAssignment

from ..models import ChangeRecord, CorrectionKind, PeriodKind, PeriodMark
from ..rules import JournalRules, rules_for
from ..year_suggest import YearWindow
from .chain import change_records_append
from .common import Admission, ConflictError, admit, require_keeper
from .periods import _class_terms, year_window_of
from .setup import allowed_period_values, scale_of

if TYPE_CHECKING:
    from ..selectors.year import YearRow

BATCH_KINDS = (PeriodKind.YEAR, PeriodKind.FINAL)


@dataclass(frozen=True)
class YearConfirmSummary:
    """What «accept the suggested» did (or would do) for one kind of mark."""

    kind: str
    confirmed: int = 0
    already: int = 0  # a mark of the kind is set
    doubtful: int = 0  # the suggestion carries a warning: the teacher decides
    no_suggestion: int = 0  # nothing to suggest from, or off the subject's scale

    def message(self) -> str:
        label = PeriodKind(self.kind).label
        parts = [
            ngettext("Выставлена %(n)s отметка (%(kind)s).", "Выставлено %(n)s отметки (%(kind)s).", self.confirmed)
            % {"n": self.confirmed, "kind": label}
            if self.confirmed
            else _("Новых отметок не выставлено.")
        ]
        if self.skipped():
            parts.append(self.skipped())
        return " ".join(parts)

    def skipped(self) -> str:
        """Why the others were (or would be) left alone; empty when nobody was."""
        parts = []
        if self.already:
            parts.append(ngettext("У %(n)s ученика отметка уже стояла и не изменена.",
                                  "У %(n)s учеников отметка уже стояла и не изменена.", self.already)
                         % {"n": self.already})  # fmt: skip
        if self.doubtful:
            parts.append(ngettext("%(n)s ученику отметку нужно выставить вручную: см. пометки в таблице.",
                                  "%(n)s ученикам отметку нужно выставить вручную: см. пометки в таблице.",
                                  self.doubtful) % {"n": self.doubtful})  # fmt: skip
        if self.no_suggestion:
            parts.append(ngettext("Для %(n)s ученика предложить отметку не из чего.",
                                  "Для %(n)s учеников предложить отметку не из чего.", self.no_suggestion)
                         % {"n": self.no_suggestion})  # fmt: skip
        return " ".join(parts)


def _outcome(row: YearRow, kind: str, allowed: tuple[str, ...]) -> str:
    if kind in row.marks:
        return "already"
    suggestion = row.suggestion(kind)
    if not suggestion.value or suggestion.value not in allowed:
        return "no_suggestion"
    if suggestion.warning:
        return "doubtful"
    return "confirmed"


def _prepare(
    assignment: TeachingAssignment, kind: str, actor: Actor
) -> tuple[JournalRules, YearWindow, tuple[str, ...]]:
    require_keeper(actor, assignment)
    if kind not in BATCH_KINDS:
        raise ValidationError(_("Предложенные отметки принимаются только для годовых и итоговых."), code="kind")
    rules = rules_for(assignment.school)
    window = year_window_of(assignment, kind, rules)
    allowed = allowed_period_values(scale_of(assignment.school, assignment.subject_id))
    return rules, window, allowed


def _admit(assignment: TeachingAssignment, kind: str, window: YearWindow, actor: Actor) -> Admission:
    return admit(
        actor=actor, kind=CorrectionKind.PERIOD_MARK, term=window.last_term, school_class_id=assignment.school_class_id,
        deadline=window.due(kind), proposal={}, correction=None, closable=window.locks_with_term(kind),
    )  # fmt: skip


def _rows(assignment: TeachingAssignment, rules: JournalRules, *, lock: bool = False) -> list[YearRow]:
    from ..selectors.year import subject_has_exam, year_rows

    has_exam = subject_has_exam(assignment.school_class, assignment.subject_id)
    return year_rows(assignment, list(_class_terms(assignment)), rules, has_exam=has_exam, lock=lock)


def year_marks_confirm_all_preview(*, assignment: TeachingAssignment, kind: str, actor: Actor) -> YearConfirmSummary:
    """What `year_marks_confirm_all` would do now, writing nothing (the question before the button).

    A batch the service would refuse (before the window, late, the year closed) is refused here too.
    """
    rules, window, allowed = _prepare(assignment, kind, actor)
    _admit(assignment, kind, window, actor)
    counts = Counter(_outcome(row, kind, allowed) for row in _rows(assignment, rules))
    return YearConfirmSummary(kind, **{k: counts[k] for k in ("confirmed", "already", "doubtful", "no_suggestion")})


def year_marks_confirm_all(*, assignment: TeachingAssignment, kind: str, actor: Actor) -> YearConfirmSummary:
    """Set the suggested year (or final) mark of every student of the journal without one; all or nothing.

    A constant number of queries whatever the class size.
    """
    rules, window, allowed = _prepare(assignment, kind, actor)
    try:
        with transaction.atomic():
            admission = _admit(assignment, kind, window, actor)
            rows = _rows(assignment, rules, lock=True)
            counts = Counter(_outcome(row, kind, allowed) for row in rows)
            now = timezone.now()
            new = [
                PeriodMark(
                    school_id=assignment.school_id,
                    year_id=assignment.year_id,
                    student_id=row.student.student.pk,
                    school_class_id=assignment.school_class_id,
                    subject_id=assignment.subject_id,
                    kind=kind,
                    value=row.suggestion(kind).value,
                    suggested=row.suggestion(kind).value,
                    average=row.suggestion(kind).average,
                    confirmed_by_id=actor.user_id_required,
                    confirmed_at=now,
                )
                for row in rows
                if _outcome(row, kind, allowed) == "confirmed"
            ]
            PeriodMark.objects.bulk_create(new)
            change_records_append(
                [
                    ChangeRecord(
                        school_id=assignment.school_id,
                        entity="period_mark",
                        entity_id=mark.pk,
                        action="create",
                        student_id=mark.student_id,
                        field=kind,
                        old="",
                        new=mark.value,
                        actor_id=actor.user_id_required,
                        actor_role=actor.role or "",
                        is_late=admission.late,
                    )
                    for mark in new
                ]
            )
    except IntegrityError:
        # Someone set a mark of this journal meanwhile: nothing was written, the page shows the current state.
        raise ConflictError() from None
    return YearConfirmSummary(kind, **{k: counts[k] for k in ("confirmed", "already", "doubtful", "no_suggestion")})
