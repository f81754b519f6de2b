"""Reads of the journal, scoped to the acting `Actor`, in a constant number of queries.

One module per sub-domain: `grid` (the journal of a class × subject × term,
the term-mark suggestion), `overview` (a class for a term), `history` (cells
and lessons), `plans` (thematic plans against fact), `corrections` (the deputy
head's queues), `pages` (actor-scoped getters of the pages). Every public name
is importable from `ejournal.journal.selectors`.
"""

from .common import today
from .corrections import (
    closure_get,
    correction_get,
    corrections_queue,
    corrections_unseen,
    my_corrections,
    term_closing,
    term_get,
)
from .grid import (
    HELD,
    AttendanceCell,
    GridStudent,
    JournalGrid,
    LessonRef,
    MarkCell,
    check_term,
    journal_cells,
    journal_grid,
    journal_lessons,
    journal_students,
    period_mark_suggest,
    related_or_none,
    student_period_suggestion,
)
from .history import cell_history, history_cell_get, lesson_history
from .overview import ClassOverview, OverviewCell, class_overview, class_students
from .pages import (
    assignment_get,
    attachment_get,
    class_get,
    class_terms,
    journal_editable,
    journal_page,
    lesson_editor,
    lesson_get,
    my_journals,
    student_of_school,
    term_closed,
    term_current,
    term_of_class,
)
from .plans import PlanVsFact, plan_page, plan_vs_fact, planned_topic_get, planned_topic_next
from .year import ClassYear, YearRow, YearSheet, class_year, year_sheet

__all__ = [
    "HELD",
    "AttendanceCell",
    "ClassOverview",
    "ClassYear",
    "GridStudent",
    "JournalGrid",
    "LessonRef",
    "MarkCell",
    "OverviewCell",
    "PlanVsFact",
    "YearRow",
    "YearSheet",
    "assignment_get",
    "attachment_get",
    "cell_history",
    "check_term",
    "class_get",
    "class_overview",
    "class_students",
    "class_terms",
    "class_year",
    "closure_get",
    "correction_get",
    "corrections_queue",
    "corrections_unseen",
    "history_cell_get",
    "journal_cells",
    "journal_editable",
    "journal_grid",
    "journal_lessons",
    "journal_page",
    "journal_students",
    "lesson_editor",
    "lesson_get",
    "lesson_history",
    "my_corrections",
    "my_journals",
    "period_mark_suggest",
    "plan_page",
    "plan_vs_fact",
    "planned_topic_get",
    "planned_topic_next",
    "related_or_none",
    "student_of_school",
    "student_period_suggestion",
    "term_closed",
    "term_closing",
    "term_current",
    "term_get",
    "term_of_class",
    "today",
    "year_sheet",
]
