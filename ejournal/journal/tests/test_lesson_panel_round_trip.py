"""The lesson panel shows the saved homework as the browser reads it, and posting it back unchanged changes nothing."""

import datetime as dt

from django.urls import reverse

from ejournal.access.roles import Role
from ejournal.core.models import AuditEvent
from ejournal.tests.formdata import form_posting_to

from ..models import ChangeRecord, Homework
from ..services import homework_set
from .helpers import at, journal, teacher

TUE = dt.date(2026, 12, 8)
DUE = dt.date(2026, 12, 10)  # not the default (the next lesson, on Wednesday)


def test_homework_panel_posted_back_unchanged_keeps_the_due_date_and_writes_nothing(world, login_as):
    _a, (day, _wed) = journal(world, days=[TUE, TUE + dt.timedelta(days=1)])
    with at(TUE, 15):
        homework_set(lesson=day, text="№ 12, 14", due_date=DUE, actor=teacher(world))
        client = login_as(world.teacher, Role.TEACHER)
        html = client.get(reverse("journal:lesson_panel", kwargs={"lesson_id": day.pk})).content.decode()
        action = reverse("journal:lesson_homework", kwargs={"lesson_id": day.pk})
        form = form_posting_to(html, action)
        assert ("due_date", "2026-12-10") in form.values
        assert form.types["due_date"] == "date"
        records, events = ChangeRecord.objects.count(), AuditEvent.objects.count()
        response = client.post(action, form.as_post())
    assert response.status_code == 200
    homework = Homework.objects.get(lesson=day)
    assert (homework.text, homework.due_date) == ("№ 12, 14", DUE)
    assert (ChangeRecord.objects.count(), AuditEvent.objects.count()) == (records, events)
