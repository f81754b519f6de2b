"""Timetable pages: week views, «Сегодня», the editor, rooms and bells, lesson changes, generation, import."""
