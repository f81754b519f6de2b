"""«Подтвердить все предложенные»: the suggested term mark of every student of a journal, in one transaction.

Only students without a term mark get one (a mark the teacher set is never
overwritten); students under the mark-density norm are skipped unless the
teacher asks to include them; students without numeric marks have no
suggestion. The deadline and the closure apply to the batch as a whole: a
late batch is refused, and single marks then go through correction requests.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ejournal.access.policy import Actor
from ejournal.curriculum.models import TeachingAssignment
from ejournal.schools.models import Term

from ..averages import Suggestion, build_suggestion
from ..models import ChangeRecord, CorrectionKind, Mark, PeriodKind, PeriodMark
from ..rules import JournalRules, rules_for
from .chain import change_records_append
from .common import ConflictError, admit, require_keeper
from .periods import _period
from .setup import allowed_period_values, scale_of


@dataclass(frozen=True)
class ConfirmSummary:
    """What «confirm all» did: how many marks it set and why it left the others."""

    confirmed: int = 0
    sparse: int = 0  # skipped: fewer marks than the density norm
    already: int = 0  # skipped: a term mark is already set
    no_suggestion: int = 0  # skipped: no numeric marks, or a suggestion off the subject's scale

    def message(self) -> str:
        """The Russian summary shown after the button."""
        parts = [
            ngettext(
                "Выставлена %(n)s отметка за период.",
                "Выставлено %(n)s отметки за период.",
                self.confirmed,
            )
            % {"n": self.confirmed}
            if self.confirmed
            else _("Новых отметок за период не выставлено.")
        ]
        if self.skipped():
            parts.append(self.skipped())
        return " ".join(parts)

    def skipped(self) -> str:
        """Why the others were (or would be) left without a new term mark; empty when nobody was."""
        parts = []
        if self.sparse:
            parts.append(
                ngettext(
                    "Пропущен %(n)s ученик с недостаточной накопляемостью отметок.",
                    "Пропущено %(n)s учеников с недостаточной накопляемостью отметок.",
                    self.sparse,
                )
                % {"n": self.sparse}
            )
        if self.already:
            parts.append(
                ngettext(
                    "У %(n)s ученика отметка уже стояла и не изменена.",
                    "У %(n)s учеников отметка уже стояла и не изменена.",
                    self.already,
                )
                % {"n": self.already}
            )
        if self.no_suggestion:
            parts.append(
                ngettext(
                    "Для %(n)s ученика предложить отметку не из чего.",
                    "Для %(n)s учеников предложить отметку не из чего.",
                    self.no_suggestion,
                )
                % {"n": self.no_suggestion}
            )
        return " ".join(parts)


def _suggestions(assignment: TeachingAssignment, term: Term, rules: JournalRules) -> dict[int, Suggestion]:
    """The suggested term mark of each student of the journal in the term, by student id (in the journal's order)."""
    from ..selectors import journal_lessons, journal_students

    students = journal_students(assignment.school_class_id, assignment.subgroup_id, term.starts_on, term.ends_on)
    ids = [row.student.pk for row in students]
    pairs: defaultdict[int, list[tuple[int | None, Decimal]]] = defaultdict(list)
    for sid, value, weight in Mark.objects.filter(
        lesson__in=journal_lessons(assignment, term), student_id__in=ids
    ).values_list("student_id", "value", "weight"):
        pairs[sid].append((value, weight))
    return {
        sid: build_suggestion(pairs[sid], hours_per_week=assignment.hours_per_week, term_kind=term.kind, rules=rules)
        for sid in ids
    }


def period_marks_confirm_all_preview(
    *, assignment: TeachingAssignment, term: Term, include_sparse: bool = False, actor: Actor
) -> ConfirmSummary:
    """What `period_marks_confirm_all` would do now, writing nothing (the question before the button).

    A batch the service would refuse (late, closed term) is refused here too, before anyone is asked.
    """
    require_keeper(actor, assignment)
    governing, _start, _end = _period(assignment, PeriodKind.TERM, term)
    rules = rules_for(assignment.school)
    admit(
        actor=actor, kind=CorrectionKind.PERIOD_MARK, term=governing, school_class_id=assignment.school_class_id,
        deadline=governing.ends_on + dt.timedelta(days=rules.period_mark_grace_days), proposal={}, correction=None,
    )  # fmt: skip
    allowed = allowed_period_values(scale_of(assignment.school, assignment.subject_id))
    suggestions = _suggestions(assignment, term, rules)
    existing = set(
        PeriodMark.objects.filter(
            student_id__in=list(suggestions), subject_id=assignment.subject_id, term=term, kind=PeriodKind.TERM
        ).values_list("student_id", flat=True)
    )
    counts = Counter(_outcome(sid, s, existing, allowed, include_sparse) for sid, s in suggestions.items())
    return ConfirmSummary(confirmed=counts["confirmed"], sparse=counts["sparse"], already=counts["already"],
                          no_suggestion=counts["no_suggestion"])  # fmt: skip


def period_marks_confirm_all(
    *, assignment: TeachingAssignment, term: Term, include_sparse: bool = False, actor: Actor
) -> ConfirmSummary:
    """Confirm the suggested term mark of every student of the journal who has none yet; all or nothing.

    A constant number of queries whatever the class size (marks and period
    marks are read, created and logged in bulk).
    """
    require_keeper(actor, assignment)
    governing, _start, _end = _period(assignment, PeriodKind.TERM, term)
    rules = rules_for(assignment.school)
    allowed = allowed_period_values(scale_of(assignment.school, assignment.subject_id))
    suggestions = _suggestions(assignment, term, rules)
    try:
        with transaction.atomic():
            admission = admit(
                actor=actor, kind=CorrectionKind.PERIOD_MARK, term=governing,
                school_class_id=assignment.school_class_id,
                deadline=governing.ends_on + dt.timedelta(days=rules.period_mark_grace_days), proposal={}, correction=None,
            )  # fmt: skip
            existing = set(
                PeriodMark.objects.select_for_update()
                .filter(
                    student_id__in=list(suggestions), subject_id=assignment.subject_id, term=term, kind=PeriodKind.TERM
                )
                .values_list("student_id", flat=True)
            )
            counts: defaultdict[str, int] = defaultdict(int)
            new: list[PeriodMark] = []
            for sid, suggestion in suggestions.items():
                outcome = _outcome(sid, suggestion, existing, allowed, include_sparse)
                counts[outcome] += 1
                if outcome == "confirmed":
                    new.append(_period_mark(assignment, term, sid, suggestion, actor))
            PeriodMark.objects.bulk_create(new)
            change_records_append([
                ChangeRecord(
                    school_id=assignment.school_id, entity="period_mark", entity_id=mark.pk, action="create",
                    student_id=mark.student_id, term_id=term.pk, field=PeriodKind.TERM, old="", new=mark.value,
                    actor_id=actor.user_id_required, actor_role=actor.role or "", is_late=admission.late,
                )
                for mark in new
            ])  # fmt: skip
    except IntegrityError:
        # Someone set a term mark of this journal meanwhile: nothing was written, the page shows the current state.
        raise ConflictError() from None
    return ConfirmSummary(
        confirmed=counts["confirmed"], sparse=counts["sparse"], already=counts["already"],
        no_suggestion=counts["no_suggestion"],
    )  # fmt: skip


def _outcome(
    sid: int, suggestion: Suggestion, existing: set[int], allowed: tuple[str, ...], include_sparse: bool
) -> str:
    if sid in existing:
        return "already"
    if not suggestion.value or suggestion.value not in allowed:
        return "no_suggestion"
    if suggestion.warning and not include_sparse:
        return "sparse"
    return "confirmed"


def _period_mark(
    assignment: TeachingAssignment, term: Term, sid: int, suggestion: Suggestion, actor: Actor
) -> PeriodMark:
    return PeriodMark(
        school_id=assignment.school_id, year_id=assignment.year_id, student_id=sid,
        school_class_id=assignment.school_class_id, subject_id=assignment.subject_id, term=term,
        kind=PeriodKind.TERM, value=suggestion.value, suggested=suggestion.value, average=suggestion.average,
        confirmed_by_id=actor.user_id_required, confirmed_at=timezone.now(),
    )  # fmt: skip
