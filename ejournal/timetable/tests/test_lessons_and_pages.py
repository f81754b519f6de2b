"""Lesson changes (substitution, cancellation, move, extra) and the week and «Сегодня» pages."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from ejournal.access import policy
from ejournal.access.generation import access_changed
from ejournal.access.policy import Actor
from ejournal.access.roles import Role
from ejournal.core.models import AuditEvent

from ..models import Lesson
from ..services import lesson_add_extra, lesson_cancel, lesson_move, lesson_substitute
from .helpers import MON, assignment, bells, deputy, lesson, room


def teacher_actor(user, school):
    return Actor(user_id=user.pk, role=Role.TEACHER, school_id=school.pk)


def week_url(world, cls=None):
    return reverse("timetable:class_week", args=[(cls or world.cls).pk]) + f"?week={MON.isoformat()}"


def test_substitution_shows_in_the_class_timetable_and_lets_the_substitute_keep_the_lesson(world, login_as):
    item = lesson(world, assignment(world), MON, 2)
    substitute = teacher_actor(world.other_teacher, world.school)
    assert not policy.check(substitute, "can_keep_lesson", item)
    lesson_substitute(lesson=item, substitute=world.other_teacher, note="болезнь", actor=deputy(world))
    item.refresh_from_db()
    assert policy.check(substitute, "can_keep_lesson", item)
    assert policy.check(teacher_actor(world.teacher, world.school), "can_keep_lesson", item)
    assert not policy.check(teacher_actor(world.foreign_teacher, world.other_school), "can_keep_lesson", item)
    page = login_as(world.teacher, Role.CLASS_TEACHER).get(week_url(world)).content.decode()
    assert "замена: Волков Игорь Николаевич" in page
    assert AuditEvent.objects.filter(action="lesson_substituted").exists()


def test_a_substitute_from_another_school_is_refused(world):
    item = lesson(world, assignment(world), MON)
    with pytest.raises(ValidationError, match="сотрудник этой школы"):
        lesson_substitute(lesson=item, substitute=world.foreign_teacher, actor=deputy(world))
    item.refresh_from_db()
    assert item.substitute is None


def test_cancellation_needs_a_reason_and_shows(world, login_as):
    item = lesson(world, assignment(world), MON)
    with pytest.raises(ValidationError, match="причину"):
        lesson_cancel(lesson=item, reason="  ", actor=deputy(world))
    lesson_cancel(lesson=item, reason="карантин", actor=deputy(world))
    assert Lesson.objects.get(pk=item.pk).status == Lesson.Status.CANCELLED
    page = login_as(world.deputy_head, Role.DEPUTY_HEAD).get(week_url(world)).content.decode()
    assert "отменён: карантин" in page


def test_moving_links_the_new_lesson_and_keeps_the_data_with_the_old_one(world):
    item = lesson(world, assignment(world), MON, topic="Делимость")
    new = lesson_move(lesson=item, date=MON + dt.timedelta(days=2), lesson_number=6, actor=deputy(world))
    item.refresh_from_db()
    assert (item.status, item.moved_to, item.topic) == (Lesson.Status.MOVED, new, "Делимость")
    assert (new.date, new.lesson_number, new.teacher) == (MON + dt.timedelta(days=2), 6, world.teacher)
    with pytest.raises(ValidationError):
        lesson_move(lesson=item, date=MON, lesson_number=3, actor=deputy(world))


def test_moving_onto_a_busy_slot_or_impossible_number_is_refused(world):
    a = assignment(world)
    first, second = lesson(world, a, MON, 1), lesson(world, a, MON, 2)
    with pytest.raises(ValidationError, match="уже есть урок"):
        lesson_move(lesson=first, date=second.date, lesson_number=2, actor=deputy(world))
    with pytest.raises(ValidationError, match="от 1 до 12"):
        lesson_move(lesson=first, date=MON, lesson_number=13, actor=deputy(world))
    assert Lesson.objects.get(pk=first.pk).status == Lesson.Status.SCHEDULED


def test_extra_lesson(world):
    extra = lesson_add_extra(
        assignment=assignment(world), date=MON, lesson_number=7, room=room(world), reason="консультация",
        actor=deputy(world),
    )  # fmt: skip
    assert extra.status == Lesson.Status.EXTRA and extra.entry is None


def test_lesson_changes_through_the_pages(world, login_as):
    item = lesson(world, assignment(world), MON)
    client = login_as(world.deputy_head, Role.DEPUTY_HEAD)
    response = client.post(reverse("timetable:lesson_cancel", args=[item.pk]), {"reason": ""})
    assert response.status_code == 400
    response = client.post(
        reverse("timetable:lesson_move", args=[item.pk]), {"date": "2026-09-08", "lesson_number": "13"}
    )
    assert response.status_code == 400 and "Номер урока должен быть от 1 до 12" in response.content.decode()
    response = client.post(
        reverse("timetable:lesson_substitute", args=[item.pk]), {"substitute": world.other_teacher.pk}
    )
    assert response.status_code == 302
    assert Lesson.objects.get(pk=item.pk).substitute == world.other_teacher
    denied = login_as(world.teacher, Role.CLASS_TEACHER)
    assert denied.post(reverse("timetable:lesson_cancel", args=[item.pk]), {"reason": "x"}).status_code == 403


@pytest.mark.parametrize("view", ["class", "teacher", "room"])
def test_week_pages_keep_a_constant_number_of_queries(world, login_as, django_assert_max_num_queries, view):
    r = room(world)
    bells(world)
    a = assignment(world)
    url = {
        "class": week_url(world),
        "teacher": reverse("timetable:teacher_week", args=[world.teacher.pk]) + f"?week={MON.isoformat()}",
        "room": reverse("timetable:room_week", args=[r.pk]) + f"?week={MON.isoformat()}",
    }[view]
    client = login_as(world.deputy_head, Role.DEPUTY_HEAD)
    lesson(world, a, MON, 1, room=r)
    with django_assert_max_num_queries(30) as few:
        client.get(url)
    for n in range(2, 8):
        for d in range(5):
            substitute = None if view == "teacher" else world.other_teacher
            lesson(world, a, MON + dt.timedelta(days=d), n, room=r, substitute=substitute)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count("tt-lesson ") == 31


def test_week_navigator_moves_by_a_week(world, login_as):
    page = login_as(world.deputy_head, Role.DEPUTY_HEAD).get(week_url(world)).content.decode()
    assert "?week=2026-08-31" in page and "?week=2026-09-14" in page
    assert "07.09.2026 – 11.09.2026" in page


@time_machine.travel(dt.datetime(2026, 9, 7, 8, 0, tzinfo=dt.UTC), tick=False)
def test_today_lists_own_lessons_and_substitutions_with_bell_times(world, login_as, django_assert_max_num_queries):
    bells(world)
    own = lesson(world, assignment(world), MON, 1, topic="Натуральные числа")
    other = lesson(world, assignment(world, cls=world.other_cls, teacher=world.other_teacher), MON, 3)
    given_away = lesson(world, assignment(world), MON, 5)
    lesson_substitute(lesson=other, substitute=world.teacher, actor=deputy(world))
    lesson_substitute(lesson=given_away, substitute=world.other_teacher, actor=deputy(world))
    lesson(world, assignment(world), MON + dt.timedelta(days=1), 2)  # tomorrow
    client = login_as(world.teacher, Role.CLASS_TEACHER)
    with django_assert_max_num_queries(20):
        page = client.get(reverse("timetable:today")).content.decode()
    assert "Натуральные числа" in page and "08:25–09:05" in page
    assert "замена за Волков И.Н." in page
    assert page.count('<tr class="tt-') == 2
    assert own.pk and given_away.pk


def test_teacher_sees_classes_they_teach_but_not_others(world, login_as):
    # other_teacher leads 5 «Б» and, with an assignment, teaches 5 «А»; the foreign class stays hidden.
    client = login_as(world.other_teacher, Role.TEACHER)
    assert client.get(week_url(world)).status_code == 404
    assignment(world, teacher=world.other_teacher, starts=dt.date(2026, 9, 1))
    access_changed([world.other_teacher.pk])  # written with the ORM: what the service would have called
    client = login_as(world.other_teacher, Role.TEACHER)
    assert client.get(week_url(world)).status_code == 200
    assert client.get(week_url(world, world.foreign_cls)).status_code == 404
    assert client.get(reverse("timetable:teacher_week", args=[world.teacher.pk])).status_code == 404
    assert client.get(reverse("timetable:teacher_week", args=[world.other_teacher.pk])).status_code == 200


def test_family_and_district_roles_get_nothing(world, login_as):
    for role in (Role.STUDENT, Role.GUARDIAN, Role.DISTRICT_OFFICER, Role.MUNICIPAL_OFFICER):
        client = login_as(world.personas[role], role)
        assert client.get(reverse("timetable:home")).status_code == 403
        assert client.get(week_url(world)).status_code in (403, 404)
