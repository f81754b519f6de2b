"""The week's HTML from the diary's Jinja2 templates, shared with the marks and extract pages."""

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

from django.urls import reverse
from django.utils import translation

from ejournal.access.policy import Actor
from ejournal.access.roles import Role
from ejournal.accounts.models import User
from ejournal.core.templating import render_macro
from ejournal.curriculum.models import Subject
from ejournal.journal.models import Homework, Mark, WorkType
from ejournal.journal.tests.helpers import at
from ejournal.timetable.models import Lesson, Room
from ejournal.timetable.tests.helpers import MON

from ..selectors import children
from ..week import WeekMark, _children
from ..week_html import header_html, tabs
from .helpers import WED, week_of_lessons


def test_a_mark_is_its_details_with_date_kind_weight_and_comment():
    mark = WeekMark(
        display="5", value=5, name="Контрольная <работа>", weight=Decimal("1.50"), comment="Молодец & умница"
    )
    with translation.override("ru"):
        html = render_macro("diary/partials/week_days.html", "week_days", [], dt.date(2026, 9, 9), 1)
        assert html == ""
        html = _mark(mark, dt.date(2026, 9, 9))
    assert html == (
        '<details class="diary-mark">\n<summary><span class="diary-mark-value v5">5</span> <span class="diary-mark-kind">'
        'Контрольная &lt;работа&gt; ×1,5</span></summary>\n<dl class="diary-mark-info">\n<dt>Дата</dt><dd>09.09.2026</dd>\n'
        "<dt>Вид работы</dt><dd>Контрольная &lt;работа&gt;</dd>\n<dt>Вес</dt><dd>1,5</dd>\n"
        "<dt>Комментарий</dt><dd>Молодец &amp; умница</dd>\n</dl>\n</details>"
    )
    plain = WeekMark(display="н/а", value=None, name="Ответ", weight=Decimal("1.00"), comment="")
    with translation.override("en"):
        html = _mark(plain, dt.date(2026, 9, 9))
    assert 'class="diary-mark-value vs">н/а</span> <span class="diary-mark-kind">Ответ</span>' in html
    assert "<dt>Weight</dt><dd>1</dd>\n</dl>" in html


def _mark(mark: WeekMark, day: dt.date) -> str:
    """The marks page's fragment for one mark on `day` (the week's days show the same macro)."""
    dated = SimpleNamespace(**{f: getattr(mark, f) for f in mark.__slots__}, date=day)
    return render_macro("diary/partials/mark.html", "marks", [dated])


def test_the_week_and_the_marks_page_show_the_same_tabs_and_menu(world):
    """One template for the header: the children read as plain values (the week) or as models (the marks and
    extract pages) give the same markup; only the section marked current differs."""
    actor = Actor(user_id=world.guardian_user.pk, role=Role.GUARDIAN,
                  student_ids=frozenset({world.student.pk, world.sibling.pk}))  # fmt: skip
    kids = _children(sorted(actor.student_ids))
    models = tabs(children(actor=actor))
    for section in ("week", "marks", "extract"):
        week = header_html(children=kids, student_id=kids[1].id, section=section)
        assert week == header_html(children=models, student_id=kids[1].id, section=section)
        assert week.count('aria-current="page"') == 2  # the child's tab and the section
        assert f'href="{reverse(f"diary:{section}", args=[kids[1].id])}" aria-current="page"' in week


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
