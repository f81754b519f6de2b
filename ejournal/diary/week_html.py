"""The week page's content as HTML: the Jinja2 templates under diary/jinja2/ given the week's values.

The days (`days_html`) are the same for every reader of a child's week and kept apart (`week.week_page`);
the content around them (`content_html`) is the reader's own (tabs, acknowledgements). The marks and
extract pages show the same header (`header_html`) and marks (`diary/partials/mark.html`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from django.utils import timezone
from django.utils.safestring import SafeString

from ejournal.core.templating import render_fragment, render_macro
from ejournal.people.models import Student

from .selectors import week_param
from .week_values import WeekChild, WeekContent, WeekDay


def days_html(days: Sequence[WeekDay], today: dt.date, student_id: int) -> SafeString:
    """The days of the week page: the same for every reader of the child's week."""
    return render_macro("diary/partials/week_days.html", "week_days", days, today, student_id)


class Tab(NamedTuple):
    """A child's tab, for pages that read the children as models (`tabs`); `WeekChild` serves as one too."""

    id: int
    first_name: str
    class_label: str  # «5 «А»», empty without a class


def tabs(students: Iterable[Student]) -> list[Tab]:
    """The tabs of the actor's children read as models (`selectors.children`)."""
    return [Tab(s.pk, s.first_name, str(s.school_class) if s.school_class_id else "") for s in students]


def header_html(*, children: Sequence[Tab | WeekChild], student_id: int, section: str) -> SafeString:
    """The child tabs and the diary's sections (`section`: week, marks or extract)."""
    return render_fragment("diary/partials/header.html", children=children, student_id=student_id, section=section)


def _when(at: dt.datetime) -> dict[str, str]:
    local = timezone.localtime(at) if timezone.is_aware(at) else at
    return {"day": f"{local:%d.%m.%Y}", "time": f"{local:%H:%M}"}


def content_html(page: WeekContent, token_input: str, days: str) -> SafeString:
    """The content of the week page (tabs, menu, heading, week switch, acknowledgements) around `days`, the days'
    HTML (`days_html`). «Ознакомлен»: the actor's own acknowledgement, else the form; for students, who
    acknowledged."""
    this_monday = page.today - dt.timedelta(days=page.today.weekday())
    mine = next((a for a in page.acks if a.guardian_user_id == page.me), None)
    others = [] if page.can_acknowledge else [{"who": a.who, **_when(a.at)} for a in page.acks]
    return render_fragment(
        "diary/week_content.html", student=page.student, children=page.children, student_id=page.student.id,
        section="week", monday=page.monday, sunday=page.monday + dt.timedelta(days=6),
        previous=week_param(page.monday - dt.timedelta(days=7)), next=week_param(page.monday + dt.timedelta(days=7)),
        week=week_param(page.monday), this_week=page.monday == this_monday, mine=_when(mine.at) if mine else None,
        can_form=page.can_acknowledge and page.monday <= this_monday, others=others, token_input=token_input,
        days=SafeString(days),
    )  # fmt: skip
