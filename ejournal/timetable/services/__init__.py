"""Writes of the timetable: rooms and bells, the weekly timetable, dated lessons and their changes.

Every function runs in one transaction and writes its audit record there;
bad input raises `ValidationError` with a Russian message before anything is
written. Authorization is the caller's job (views check the access policy).
"""

from .changes import lesson_add_extra, lesson_cancel, lesson_move, lesson_substitute
from .entries import Item, Outcome, entries_at, timetable_cell_set, timetable_cells_set, timetable_day_copy
from .generation import GenerationResult, lessons_generate, lessons_generate_year
from .setup import bell_schedule_save, room_create, room_update

__all__ = [
    "GenerationResult",
    "Item",
    "Outcome",
    "bell_schedule_save",
    "entries_at",
    "lesson_add_extra",
    "lesson_cancel",
    "lesson_move",
    "lesson_substitute",
    "lessons_generate",
    "lessons_generate_year",
    "room_create",
    "room_update",
    "timetable_cell_set",
    "timetable_cells_set",
    "timetable_day_copy",
]
