"""Writes of the journal. Each runs in one transaction and writes its change records there.

Bad input raises `ValidationError` with a Russian message before anything is
written; a stale version raises `ConflictError` (a `ValidationError` with code
«conflict»). Keepers are checked here (`can_keep_journal`); views still guard
pages with `@access_rule`.
"""

from .attendance import attendance_clear, attendance_reasons_set, attendance_set
from .cells import CellEdit, cell_correction_file, cell_parse, cell_text, journal_cells_set
from .common import ConflictError
from .corrections import (
    attendance_proposal,
    correction_request_approve,
    correction_request_file,
    correction_request_reject,
    corrections_seen,
    homework_proposal,
    mark_proposal,
    period_mark_proposal,
    topic_proposal,
)
from .lessons import check_attachments, homework_set, lesson_topic_set, lesson_work_type_set, next_lesson_date
from .marks import check_mark_value, mark_delete, mark_set
from .period_confirm import ConfirmSummary, period_marks_confirm_all, period_marks_confirm_all_preview
from .periods import (
    period_mark_correction_file,
    period_mark_set,
    term_closable_from,
    term_close,
    term_close_check,
    term_reopen,
)
from .plans import (
    planned_topic_delete,
    planned_topic_update,
    thematic_plan_import,
    thematic_plan_parse,
    thematic_plan_reorder,
)
from .setup import (
    allowed_period_values,
    default_work_type,
    mark_scale_set,
    scale_of,
    work_type_update,
    work_types_ensure,
)
from .year_marks import YearConfirmSummary, year_marks_confirm_all, year_marks_confirm_all_preview

__all__ = [
    "CellEdit",
    "ConfirmSummary",
    "ConflictError",
    "YearConfirmSummary",
    "allowed_period_values",
    "attendance_clear",
    "attendance_proposal",
    "attendance_reasons_set",
    "attendance_set",
    "cell_correction_file",
    "cell_parse",
    "cell_text",
    "check_attachments",
    "check_mark_value",
    "correction_request_approve",
    "correction_request_file",
    "correction_request_reject",
    "corrections_seen",
    "default_work_type",
    "homework_proposal",
    "homework_set",
    "journal_cells_set",
    "lesson_topic_set",
    "lesson_work_type_set",
    "mark_delete",
    "mark_proposal",
    "mark_scale_set",
    "mark_set",
    "next_lesson_date",
    "period_mark_correction_file",
    "period_mark_proposal",
    "period_mark_set",
    "period_marks_confirm_all",
    "period_marks_confirm_all_preview",
    "planned_topic_delete",
    "planned_topic_update",
    "scale_of",
    "term_closable_from",
    "term_close",
    "term_close_check",
    "term_reopen",
    "thematic_plan_import",
    "thematic_plan_parse",
    "thematic_plan_reorder",
    "topic_proposal",
    "work_type_update",
    "work_types_ensure",
    "year_marks_confirm_all",
    "year_marks_confirm_all_preview",
]
