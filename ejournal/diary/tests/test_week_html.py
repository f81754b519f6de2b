"""The week's HTML built in Python is the markup of the diary's shared partials (the marks page renders them)."""

import datetime as dt
import re
from decimal import Decimal

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from ejournal.access.policy import Actor
from ejournal.access.roles import Role
from ejournal.accounts.models import User
from ejournal.curriculum.models import Subject
from ejournal.journal.models import Homework, Mark, WorkType
from ejournal.journal.tests.helpers import at
from ejournal.timetable.models import Lesson, Room
from ejournal.timetable.tests.helpers import MON

from ..selectors import children
from ..week import WeekMark, _children
from ..week_html import WeekContent, _header, mark_html, texts
from .helpers import WED, week_of_lessons


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


def test_every_value_the_days_show_is_escaped(world, login_as):
    """The days' texts are escaped once and filled with escaped values: a teacher's, a substitute's, a room's,
    a subject's name, a topic, a change note, homework, a kind of work and a comment typed with markup all
    show as text."""
    data = week_of_lessons(world)
    first, second = data.days[WED]
    markup = {name: f"<i>{name}</i>" for name in ("teacher", "substitute", "room", "subject", "topic", "note",
                                                  "homework", "kind", "comment")}  # fmt: skip
    User.objects.filter(pk=first.teacher_id).update(last_name=markup["teacher"])
    Subject.objects.filter(pk=first.subject_id).update(name=markup["subject"])
    room = Room.objects.create(school=world.school, name=markup["room"])
    Lesson.objects.filter(pk=first.pk).update(topic=markup["topic"], change_note=markup["note"], room=room)
    Lesson.objects.filter(pk=second.pk).update(substitute=world.foreign_teacher)
    User.objects.filter(pk=world.foreign_teacher.pk).update(last_name=markup["substitute"])
    Homework.objects.filter(lesson__date=MON).update(text=markup["homework"])
    mark = Mark.objects.filter(lesson=first, student=world.student).get()
    WorkType.objects.filter(pk=mark.work_type_id).update(name=markup["kind"])
    Mark.objects.filter(pk=mark.pk).update(comment=markup["comment"])
    client = login_as(world.guardian_user, Role.GUARDIAN)
    with at(WED):
        html = client.get(reverse("diary:week", args=[world.student.pk])).content.decode()
    days = html[html.index('<section class="diary-day') : html.index("</main>")]
    for name, text in markup.items():
        assert text not in days, name
        assert f"&lt;i&gt;{name}&lt;/i&gt;" in days, name
