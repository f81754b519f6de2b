"""The cached days of the week page: served again while nothing shown changed, never stale after a write.

Each write goes through the real service of its app (journal, timetable, roster, school setup), or
straight to the table as an import or the admin would; the next page shows it.
"""

import datetime as dt
import re

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ejournal.access.roles import Role
from ejournal.journal.models import Mark
from ejournal.journal.services.attendance import attendance_set
from ejournal.journal.services.lessons import homework_set, lesson_topic_set
from ejournal.journal.services.marks import mark_delete, mark_set
from ejournal.journal.tests.helpers import at, deputy, director, teacher
from ejournal.people.services.students import student_transfer
from ejournal.testing import login
from ejournal.timetable.models import Lesson, Room
from ejournal.timetable.services.changes import lesson_cancel, lesson_move, lesson_substitute
from ejournal.timetable.services.setup import bell_schedule_save, room_update
from ejournal.timetable.tests.helpers import MON

from ..models import WeekAcknowledgement
from ..selectors import week_param
from ..week import CACHE_PREFIX, DAYS_PREFIX
from .helpers import WED, request_queries, week_of_lessons
from .test_week import QUERIES


@pytest.fixture
def diary(world, login_as):
    """The week of lessons, the guardian's client and `page()`: the week page's HTML (asserting a 200)."""
    data = week_of_lessons(world)
    client = login_as(world.guardian_user, Role.GUARDIAN)
    url = reverse("diary:week", kwargs={"student_id": world.student.pk})

    def page() -> str:
        response = client.get(url)
        assert response.status_code == 200
        return response.content.decode()

    with at(WED):
        first = page()
        assert _days(page()) == _days(first)  # the second from the cache
        yield data, page


def _days(html: str) -> str:
    return html[html.index('<section class="diary-day') : html.index("</main>")]


def _cached_keys() -> int:
    return sum(CACHE_PREFIX in key for key in cache._cache)  # type: ignore[attr-defined]  # the test cache is the local-memory one


def test_an_unchanged_week_is_rendered_once_and_read_from_the_cache(world, diary):
    _data, page = diary
    assert _cached_keys() == 1
    html = page()
    assert _cached_keys() == 1 and "Упр. 12" in html


def test_marks_given_changed_and_deleted_in_the_journal_show_at_once(world, diary):
    data, page = diary
    lesson, actor = data.days[WED][1], teacher(world)
    mark = mark_set(lesson=lesson, student=world.student, value=3, comment="Повторить дроби", actor=actor)
    assert "Повторить дроби" in page()
    mark = mark_set(lesson=lesson, student=world.student, value=4, comment="Исправил дроби", mark=mark,
                    expected_version=mark.version, actor=actor)  # fmt: skip
    html = page()
    assert "Исправил дроби" in html and "Повторить дроби" not in html
    mark_delete(mark=Mark.objects.get(pk=mark.pk), expected_version=mark.version, reason="ошибка", actor=actor)
    assert "Исправил дроби" not in page()


def test_attendance_topic_and_homework_with_a_file_show_at_once(world, diary, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    data, page = diary
    lesson, actor = data.days[WED][1], teacher(world)
    attendance_set(lesson=lesson, student=world.student, code="н", actor=actor)
    assert "н — отсутствовал" in page()
    lesson_topic_set(lesson=lesson, topic="Сложение дробей", actor=actor)  # written with .update(), no save()
    assert "Сложение дробей" in page()
    homework_set(lesson=lesson, text="№ 245, 246", files=[SimpleUploadedFile("дроби.pdf", b"%PDF-1.4")], actor=actor)
    html = page()
    assert "№ 245, 246" in html and "дроби.pdf" in html


def _day(html: str, day: dt.date) -> str:
    """The section of one day (up to the next day's)."""
    start = html.index(f'aria-labelledby="day-{day:%Y%m%d}"')
    end = html.find('<section class="diary-day', start)
    return html[start : end if end > 0 else len(html)]


def test_homework_due_next_week_shows_on_its_day_there_and_follows_a_new_due_date(world, diary, login_as):
    """Next week has no lesson of its own that holds the homework: only the days' "due" lists show it, read by
    the homework's class and due date (kept by the journal's service), and the cached page follows them."""
    data, _page = diary
    lesson, actor = data.days[WED][1], teacher(world)
    monday, tuesday = MON + dt.timedelta(days=7), MON + dt.timedelta(days=8)
    client = login_as(world.guardian_user, Role.GUARDIAN)
    url = reverse("diary:week", kwargs={"student_id": world.student.pk}) + f"?week={week_param(monday)}"

    def page() -> str:
        response = client.get(url)
        assert response.status_code == 200
        return response.content.decode()

    homework_set(lesson=lesson, text="Выучить правило", due_date=monday, actor=actor)
    html = page()
    assert "Выучить правило" in _day(html, monday) and "Выучить правило" not in _day(html, tuesday)
    assert _days(page()) == _days(html)  # from the cache
    homework_set(lesson=lesson, text="Выучить правило", due_date=tuesday, actor=actor)
    html = page()
    assert "Выучить правило" in _day(html, tuesday) and "Выучить правило" not in _day(html, monday)


def test_substitutions_cancellations_and_moves_show_at_once(world, diary):
    data, page = diary
    first, second = data.days[WED]
    lesson_substitute(lesson=first, substitute=world.other_teacher, note="болезнь", actor=deputy(world))
    assert page().count("(вместо ") == 2  # Tuesday's and now Wednesday's
    lesson_cancel(lesson=Lesson.objects.get(pk=first.pk), reason="Карантин в классе", actor=deputy(world))
    assert "Карантин в классе" in page()
    lesson_move(lesson=second, date=WED + dt.timedelta(days=1), lesson_number=5, actor=deputy(world))
    assert f"перенесён на {WED + dt.timedelta(days=1):%d.%m.%Y}, 5 урок" in page()


def test_a_transfer_to_another_class_shows_at_once(world, diary):
    _data, page = diary
    week_of_lessons(world, cls=world.other_cls, student=world.sibling)
    assert "Волков Игорь Николаевич" not in page().split("среда")[1]
    student_transfer(student=world.student, school_class=world.other_cls, on_date=WED, actor=director(world))
    assert "Волков Игорь Николаевич" in page().split("среда")[1]  # from Wednesday the other class's lessons


def test_renamed_teachers_rooms_and_new_bells_show_at_once(world, diary):
    data, page = diary
    teacher_user = data.days[WED][1].teacher
    teacher_user.last_name = "Соколова"
    teacher_user.save()
    assert "Соколова Елена Сергеевна" in page()
    room = Room.objects.create(school=world.school, name="214")
    Lesson.objects.filter(pk=data.days[WED][1].pk).update(room=room)  # as an import or the admin would
    assert "каб. 214" in page()
    room_update(room=room, name="215", actor=director(world))
    assert "каб. 215" in page()
    schedule = world.school.bell_schedules.get()
    bell_schedule_save(school=world.school, schedule=schedule, name=schedule.name, shift=schedule.shift,
                       min_grade=schedule.min_grade, max_grade=schedule.max_grade, is_shortened=False,
                       bells={1: (dt.time(8, 0), dt.time(8, 40)), 2: (dt.time(8, 50), dt.time(9, 30))},
                       actor=director(world))  # fmt: skip
    html = page()
    assert "08:00–08:40" in html and "08:25–09:05" not in html


def test_the_cached_days_are_the_childs_own(world, diary, login_as):
    """Another child's week is another key: a guardian never sees cached days of a child not theirs."""
    week_of_lessons(world, cls=world.other_cls, student=world.sibling)
    foreign = login_as(world.foreign_guardian_user, Role.GUARDIAN)
    response = foreign.get(reverse("diary:week", kwargs={"student_id": world.student.pk}))
    assert response.status_code == 404 and "Упр. 12" not in response.content.decode()


def test_the_tabs_the_title_and_the_acknowledgements_around_the_days_show_at_once(world, diary, login_as):
    _data, page = diary
    world.sibling.first_name = "Алина"
    world.sibling.save()
    assert ">Алина" in page()  # the other child's tab
    world.student.last_name = "Орлов-Соколов"
    world.student.save()
    assert "<title>Дневник: Орлов-Соколов Максим Андреевич" in page()
    student_page = login_as(world.student_user, Role.STUDENT).get(reverse("diary:week", args=[world.student.pk]))
    assert "ознакомлен(а)" not in student_page.content.decode()  # cached for the student, before any acknowledgement
    with at(WED, hour=19):
        WeekAcknowledgement.objects.create(school=world.school, student=world.student, guardian_user=world.guardian_user,
                                           week_start=MON, at=timezone.now())  # fmt: skip
        html = login_as(world.student_user, Role.STUDENT).get(reverse("diary:week", args=[world.student.pk]))
    assert "Орлова М.В. ознакомлен(а) с неделей 09.09.2026 в 19:00." in html.content.decode()


def test_the_acknowledgement_form_of_a_cached_page_carries_this_sessions_token(world, diary):
    """The page is cached per user, the CSRF token is the session's: a new sign-in gets a form that posts."""
    _data, page = diary
    assert 'name="csrfmiddlewaretoken"' in page()
    client = Client(enforce_csrf_checks=True)
    login(client, world.guardian_user, Role.GUARDIAN)
    html = client.get(reverse("diary:week", args=[world.student.pk])).content.decode()  # from the cache
    token = re.search(r'<form method="post" action="[^"]*acknowledge/">\s*<input type="hidden" '
                      r'name="csrfmiddlewaretoken" value="([^"]+)"', html)[1]  # fmt: skip
    response = client.post(reverse("diary:acknowledge", args=[world.student.pk]), {"week": "2026-W37",
                           "csrfmiddlewaretoken": token})  # fmt: skip
    assert response.status_code == 302 and WeekAcknowledgement.objects.filter(guardian_user=world.guardian_user)


def test_the_cached_page_around_the_days_carries_this_sessions_token_everywhere(world, diary):
    """The site's header and footer are cached with the days: their forms and htmx get the session's token."""
    _data, page = diary
    html = page()  # from the cache
    token = re.search(r'"X-CSRFToken": "([A-Za-z0-9]+)"', html)[1]
    assert "diary-csrf" not in html
    assert html.count(f'name="csrfmiddlewaretoken" value="{token}"') == 3  # sign out, language, «Ознакомлен»


def test_the_users_name_and_the_requested_address_around_the_days_show_at_once(world, diary, login_as):
    _data, page = diary
    world.guardian_user.last_name = "Петрова"
    world.guardian_user.save()
    assert '<span class="who">Петрова М.В.</span>' in page()
    client = login_as(world.guardian_user, Role.GUARDIAN)
    url = reverse("diary:week", kwargs={"student_id": world.student.pk})
    html = client.get(f"{url}?week=2026-W37&x=%22%3E").content.decode()
    assert f'name="next" value="{url}?week=2026-W37&amp;x=%22%3E"' in html


def test_a_message_waiting_for_the_user_shows_on_a_cached_week(world, diary, login_as):
    """Acknowledging another week leaves a message; this week's page, unchanged and cached, shows it once."""
    _data, _page = diary
    client = login_as(world.guardian_user, Role.GUARDIAN)
    url = reverse("diary:week", kwargs={"student_id": world.student.pk})
    client.get(url)  # cached for this session's user
    response = client.post(reverse("diary:acknowledge", args=[world.student.pk]), {"week": "2026-W36"})
    assert response.status_code == 302
    assert "Отмечено: вы ознакомлены с неделей." in client.get(url).content.decode()
    assert "Отмечено: вы ознакомлены с неделей." not in client.get(url).content.decode()


def _days_cached() -> int:
    return sum(DAYS_PREFIX in key for key in cache._cache)  # type: ignore[attr-defined]  # the test cache is the local-memory one


def test_a_warmed_week_is_served_without_reading_its_days(world, login_as, django_assert_num_queries):
    """`diary_warm` fills the days of the current week of the families signed in lately: their first page after a
    deploy or a flush reads only what is around the days (the five queries of the days are not run) and is the
    page a full render makes."""
    from django.core.management import call_command

    week_of_lessons(world)
    world.guardian_user.last_login = dt.datetime(2026, 9, 8, 18, tzinfo=dt.UTC)
    world.guardian_user.save(update_fields=["last_login"])
    client = login_as(world.guardian_user, Role.GUARDIAN)
    url = reverse("diary:week", kwargs={"student_id": world.student.pk})
    with at(WED):
        client.get(reverse("diary:week", kwargs={"student_id": world.sibling.pk}))
        client.get(url)  # the session remembers this child: no write in the measured runs
        full = client.get(url).content.decode()
        base = request_queries(client)
        cache.clear()
        call_command("diary_warm", "--since-hours", "48")
        assert _days_cached() == 2  # the guardian's two children
        client.get(reverse("diary:home"))  # the session and access read again after the flush
        with django_assert_num_queries(base + QUERIES - 5):
            warmed = client.get(url).content.decode()
    assert _days(warmed) == _days(full) and "Упр. 12" in warmed


def test_the_days_made_for_one_reader_serve_another_and_a_write_makes_them_anew(world, diary, login_as):
    """The days are the child's whoever reads them: the student's first page reuses the guardian's; a mark makes
    them anew for both."""
    data, page = diary
    assert _days_cached() == 1
    student = login_as(world.student_user, Role.STUDENT)
    url = reverse("diary:week", args=[world.student.pk])
    assert _days(student.get(url).content.decode()) == _days(page())
    assert _days_cached() == 1
    mark_set(lesson=data.days[WED][1], student=world.student, value=2, comment="Новая двойка", actor=teacher(world))
    assert "Новая двойка" in student.get(url).content.decode()
    assert "Новая двойка" in page()
    assert _days_cached() == 2  # the old days' key is never read again
