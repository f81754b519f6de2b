"""The week page, child switching, «Ознакомлен» and homework files."""

import datetime as dt

from django.urls import reverse

from ejournal.access.roles import Role
from ejournal.core.models import AuditEvent
from ejournal.journal.tests.helpers import at
from ejournal.timetable.tests.helpers import MON

from ..models import WeekAcknowledgement
from ..views import SESSION_CHILD
from .helpers import WED, request_queries, week_of_lessons

WEEK = "2026-W37"  # the week of MON


def _week(student, week=WEEK):
    return reverse("diary:week", kwargs={"student_id": student.pk}) + (f"?week={week}" if week else "")


def test_guardian_sees_the_childs_week_with_times_changes_marks_and_homework(world, login_as):
    data = week_of_lessons(world)
    with at(WED):
        html = login_as(world.guardian_user, Role.GUARDIAN).get(_week(world.student)).content.decode()
    assert "Дневник: Орлов Максим Андреевич" in html
    assert "понедельник, 07.09.2026" in html and "сегодня" in html
    assert "08:25–09:05" in html  # the first bell of the test bells
    assert "Русский язык" in html and "Математика" in html
    assert "замена" in html and "Волков Игорь Николаевич (вместо Попова Е.С.)" in html
    assert "отменён" in html and "Учитель на курсах" in html
    assert "перенесён на 12.09.2026, 1 урок" in html and "перенесён с 11.09.2026" in html
    assert "Контрольная работа ×2" in html and "Молодец" in html and "<details" in html
    assert "б — болезнь" in html
    assert "Задание к 08.09.2026:" in html and "Упр. 12" in html
    assert reverse("diary:attachment", kwargs={"student_id": world.student.pk, "pk": data.file.pk}) in html
    assert "Задано на этот день" in html  # Tuesday: the homework given on Monday
    assert "Суббота, 12.09.2026" in html  # Saturday shows: the moved lesson is there


def test_the_week_defaults_to_today_and_links_the_neighbours(world, login_as):
    with at(WED):
        html = login_as(world.student_user, Role.STUDENT).get(_week(world.student, None)).content.decode()
    assert "Неделя 07.09.2026 – 13.09.2026" in html
    assert "?week=2026-W36" in html and "?week=2026-W38" in html and 'aria-current="page">Сегодня' in html


def test_a_bad_week_is_refused_with_a_russian_message(world, login_as):
    response = login_as(world.guardian_user, Role.GUARDIAN).get(_week(world.student, "2026-W99"))
    assert response.status_code == 400 and "Неделя указана неверно" in response.content.decode()


def test_guardian_switches_children_and_the_diary_remembers_the_last_one(world, login_as):
    week_of_lessons(world)
    client = login_as(world.guardian_user, Role.GUARDIAN)
    home = reverse("diary:home")
    with at(WED):
        first = client.get(home)  # the first tab: the elder child, then by name (Анна before Максим)
        today = f"#day-{WED:%Y%m%d}"  # the week opens at today's card
        assert first.status_code == 302 and first["Location"] == _week(world.sibling, None) + today
        html = client.get(_week(world.student)).content.decode()
        assert client.session[SESSION_CHILD] == world.student.pk
        assert client.get(home)["Location"] == _week(world.student, None) + today
        assert f'id="{today[1:]}"' in html
    assert "Дневник: Орлов Максим Андреевич" in html and 'aria-current="page">Максим' in html
    assert _week(world.sibling, None) in html  # the tab of the other child


def test_nobody_reads_a_child_that_is_not_theirs(world, login_as):
    week_of_lessons(world, cls=world.foreign_cls, student=world.foreign_student)
    with at(WED):
        assert login_as(world.guardian_user, Role.GUARDIAN).get(_week(world.foreign_student)).status_code == 404
        assert login_as(world.student_user, Role.STUDENT).get(_week(world.sibling)).status_code == 404
        response = login_as(world.foreign_guardian_user, Role.GUARDIAN).get(_week(world.student))
        assert response.status_code == 404 and "Орлов" not in response.content.decode()
        assert login_as(world.teacher, Role.CLASS_TEACHER).get(_week(world.student)).status_code == 403


def test_the_week_page_runs_the_same_queries_for_a_small_and_a_big_week(world, login_as, django_assert_num_queries):
    week_of_lessons(world, per_day=1)
    client = login_as(world.guardian_user, Role.GUARDIAN)
    with at(WED):
        client.get(_week(world.student, "2026-W36"))  # the session remembers the child: no write in the measured runs
        base = request_queries(client)
        with django_assert_num_queries(base + QUERIES) as small:
            assert client.get(_week(world.student)).status_code == 200
        with django_assert_num_queries(base + QUERIES_CACHED):
            assert client.get(_week(world.student)).status_code == 200  # nothing changed: the days from the cache
        week_of_lessons(world, per_day=6)
        with django_assert_num_queries(base + QUERIES) as big:
            assert client.get(_week(world.student)).status_code == 200  # the fingerprint changed: rendered again
        with django_assert_num_queries(base + QUERIES_CACHED):
            assert client.get(_week(world.student)).status_code == 200
    assert len(small.captured_queries) == len(big.captured_queries)


# Beyond those of any signed-in request: the page's fingerprint; rendering the page adds the children, the
# acknowledgements, the five queries of the days (spans, lessons with bells, homework with files, marks with
# attendance, homework due) and the fingerprint read again.
QUERIES_CACHED = 1
QUERIES = QUERIES_CACHED + 8


def test_guardian_acknowledges_the_week_once_and_sees_when(world, login_as):
    client = login_as(world.guardian_user, Role.GUARDIAN)
    url = reverse("diary:acknowledge", kwargs={"student_id": world.student.pk})
    with at(WED, hour=19):
        assert client.post(url, {"week": WEEK}).status_code == 302
        assert client.post(url, {"week": WEEK}).status_code == 302
        html = client.get(_week(world.student)).content.decode()
    ack = WeekAcknowledgement.objects.get()
    assert (ack.student, ack.guardian_user, ack.week_start, ack.school) == (
        world.student, world.guardian_user, MON, world.school,
    )  # fmt: skip
    assert "Вы ознакомлены с этой неделей 09.09.2026 в 19:00." in html
    assert AuditEvent.objects.filter(action="diary.week_acknowledged").count() == 1
    with at(WED):
        student_html = login_as(world.student_user, Role.STUDENT).get(_week(world.student)).content.decode()
    assert "Орлова М.В. ознакомлен(а) с неделей 09.09.2026 в 19:00." in student_html


def test_acknowledging_is_refused_for_a_future_week_a_student_and_another_child(world, login_as):
    url = reverse("diary:acknowledge", kwargs={"student_id": world.student.pk})
    client = login_as(world.guardian_user, Role.GUARDIAN)
    with at(WED):
        future = client.post(url, {"week": "2026-W38"}, follow=True)
        bad = client.post(url, {"week": "неделя"})
        by_student = login_as(world.student_user, Role.STUDENT).post(url, {"week": WEEK})
        foreign = login_as(world.foreign_guardian_user, Role.GUARDIAN).post(url, {"week": WEEK})
    assert "ещё не началась" in future.content.decode()
    assert bad.status_code == 400 and "Неделя указана неверно" in bad.content.decode()
    assert by_student.status_code == 403 and foreign.status_code == 404
    assert not WeekAcknowledgement.objects.exists()


def test_homework_files_download_only_for_the_childs_own_lessons(world, login_as, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    data = week_of_lessons(world)
    other = week_of_lessons(world, cls=world.other_cls, student=world.sibling)
    own = reverse("diary:attachment", kwargs={"student_id": world.student.pk, "pk": data.file.pk})
    crossed = reverse("diary:attachment", kwargs={"student_id": world.student.pk, "pk": other.file.pk})
    client = login_as(world.guardian_user, Role.GUARDIAN)
    response = client.get(own)
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"%PDF-1.4"
    assert "attachment" in response["Content-Disposition"]
    assert client.get(crossed).status_code == 404  # the sibling's class file, asked through the other child
    assert login_as(world.foreign_guardian_user, Role.GUARDIAN).get(own).status_code == 404


def test_a_homework_file_is_given_only_for_a_lesson_the_child_saw_its_subgroup_and_its_enrolment(
    world, login_as, settings, tmp_path, django_assert_num_queries
):
    from ejournal.people.models import Enrolment, SubgroupMembership
    from ejournal.timetable.models import Lesson

    settings.MEDIA_ROOT = tmp_path
    data = week_of_lessons(world)
    url = reverse("diary:attachment", kwargs={"student_id": world.student.pk, "pk": data.file.pk})
    client = login_as(world.guardian_user, Role.GUARDIAN)
    client.get(url)  # the session and the actor cached: the queries below are the download's own
    with django_assert_num_queries(2):  # the session's user, and the file with its lesson and the child's spans
        assert client.get(url).status_code == 200
    Lesson.objects.filter(pk=data.homework.lesson_id).update(subgroup=world.subgroup)
    assert client.get(url).status_code == 404  # a subgroup's lesson: the child is not its member
    member = SubgroupMembership.objects.create(school=world.school, subgroup=world.subgroup, student=world.student,
                                               starts_on=MON)  # fmt: skip
    assert client.get(url).status_code == 200
    SubgroupMembership.objects.filter(pk=member.pk).update(starts_on=MON + dt.timedelta(1))
    assert client.get(url).status_code == 404  # a member only from the day after the lesson
    Lesson.objects.filter(pk=data.homework.lesson_id).update(subgroup=None)
    Enrolment.objects.filter(student=world.student).update(starts_on=MON + dt.timedelta(1))
    assert client.get(url).status_code == 404  # enrolled in the class only from the day after the lesson


def test_a_student_who_changed_class_sees_only_the_lessons_of_their_class_at_the_time(world, login_as):
    from ejournal.people.models import Enrolment

    week_of_lessons(world)
    week_of_lessons(world, cls=world.other_cls, student=world.sibling)
    Enrolment.objects.filter(student=world.student).update(ends_on=MON + dt.timedelta(days=1))
    Enrolment.objects.create(school=world.school, student=world.student, school_class=world.other_cls,
                             starts_on=MON + dt.timedelta(days=2), start_reason="transfer")  # fmt: skip
    with at(WED):
        html = login_as(world.student_user, Role.STUDENT).get(_week(world.student)).content.decode()
    assert "Попова Елена Сергеевна" in html  # Monday and Tuesday in 5 «А»
    assert "Волков Игорь Николаевич" in html  # from Wednesday in 5 «Б»
