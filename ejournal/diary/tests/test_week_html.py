"""The week's HTML built in Python is the markup of the diary's shared partials (the marks page renders them)."""

import datetime as dt
import re
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils import translation

from ejournal.access.policy import Actor
from ejournal.access.roles import Role

from ..selectors import children
from ..week import WeekMark, _children
from ..week_html import WeekContent, _header, mark_html, texts


def _same(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r">\s+<", "><", html)).strip()


def test_a_mark_is_the_shared_partials_markup_in_both_languages():
    mark = WeekMark(
        display="5", value=5, name="Контрольная <работа>", weight=Decimal("1.50"), comment="Молодец & умница"
    )
    plain = WeekMark(display="н/а", value=None, name="Ответ", weight=Decimal("1.00"), comment="")
    day = dt.date(2026, 9, 9)
    for language in ("ru", "en"):
        with translation.override(language):
            for m in (mark, plain):
                expected = render_to_string("diary/partials/mark.html", {"mark": m, "day": day})
                assert _same(mark_html(m, day, texts())) == _same(expected)


def test_the_tabs_and_the_menu_are_the_shared_partials_markup(world):
    actor = Actor(user_id=world.guardian_user.pk, role=Role.GUARDIAN,
                  student_ids=frozenset({world.student.pk, world.sibling.pk}))  # fmt: skip
    kids = _children(sorted(actor.student_ids))
    page = WeekContent(student=kids[1], children=kids, monday=dt.date(2026, 9, 7), today=dt.date(2026, 9, 9),
                       acks=[], can_acknowledge=True, me=actor.user_id)  # fmt: skip
    tabs = children(actor=actor)
    student = next(c for c in tabs if c.pk == kids[1].id)
    context = {"children": tabs, "student": student, "section": "week"}
    assert _same(_header(page)) == _same(render_to_string("diary/partials/header.html", context))
