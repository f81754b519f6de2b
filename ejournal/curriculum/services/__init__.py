"""Writes of the curriculum app, split by sub-domain; import them from here."""

from .assignments import assignment_create, assignment_end, assignment_reassign
from .plan import curriculum_grade_set, study_week_set
from .subjects import subject_create, subject_set_active, subject_update

__all__ = [
    "assignment_create",
    "assignment_end",
    "assignment_reassign",
    "curriculum_grade_set",
    "study_week_set",
    "subject_create",
    "subject_set_active",
    "subject_update",
]
