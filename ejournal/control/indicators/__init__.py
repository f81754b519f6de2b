"""The monthly indicators of a school for the city's report (REQUIREMENTS §6), for many schools at once.

`school_month_indicators` answers in a constant number of queries whatever
the number of schools: every figure is a grouped aggregate. Definitions:

- lessons: dated lessons of the month, held (scheduled or extra; cancelled and
  moved ones do not count), not later than today;
- teachers active: teachers who held (as the teacher or the substitute) a
  lesson of the month that the journal holds an entry of — a topic, homework,
  a mark or an attendance row; read from those rows themselves, not from the
  change log, so data loaded in bulk counts as well as data typed in;
- topic on time: a topic whose entry (`LessonNote.topic_set_at`) falls on the
  lesson day plus the Regulation's grace days; homework on time: published by
  the end of the lesson day plus grace;
- with attendance: the lesson has an attendance row (an absence or lateness;
  rows carry no entry time), or — since a present student has no row — it was
  kept in the journal on its day (a first change record of any kind by the end
  of the lesson day plus grace); `attendance_kept` decides both here and in
  the filling control;
- marks per student: marks of the month's lessons / students in the system;
- marks late: marks of the month whose entry the journal recorded as after
  its deadline (`ChangeRecord.is_late`, with the written-work deadlines);
- density norm met: (student, subject) pairs of the term in progress at the
  end of the month (or that ended in it) whose marks so far reach the norm;
- guardians logged in: successful sign-ins recorded by django-axes' access
  log (`axes.models.AccessLog`, kept with `AXES_DISABLE_ACCESS_LOG` off).

The modules, each a seam of the computation: `lessons` (the lessons that count, their entries, the filling
figures), `coverage` (who is in the system), `marks` (a month's marks and late ones), `density` (the term's
pairs meeting the norm), `city` (the month's marks and the term's density in one pass on PostgreSQL), `plans`
(how the statements run), `schools` and `teachers` (the figures put together).
"""

from .density import density_mark_counts, density_mark_pairs, density_mark_rows, density_terms
from .lessons import (
    HELD,
    attendance_kept,
    has_attendance,
    has_entry,
    held_lessons,
    homework_day,
    kept_day,
    lesson_teacher,
    month_lessons,
    on_time,
    topic_day,
)
from .marks import mark_entered_late, month_marks
from .plans import AGGREGATE_WORK_MEM, aggregate_plans
from .schools import SchoolMonthIndicators, school_month_indicators
from .teachers import TeacherMonthIndicators, teacher_month_indicators

__all__ = [
    "AGGREGATE_WORK_MEM",
    "HELD",
    "SchoolMonthIndicators",
    "TeacherMonthIndicators",
    "aggregate_plans",
    "attendance_kept",
    "density_mark_counts",
    "density_mark_pairs",
    "density_mark_rows",
    "density_terms",
    "has_attendance",
    "has_entry",
    "held_lessons",
    "homework_day",
    "kept_day",
    "lesson_teacher",
    "mark_entered_late",
    "month_lessons",
    "month_marks",
    "on_time",
    "school_month_indicators",
    "teacher_month_indicators",
    "topic_day",
]
