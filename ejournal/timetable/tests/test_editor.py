"""The weekly timetable editor: hard errors refuse, warnings need confirming, versions from a date."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from ejournal.access.roles import Role
from ejournal.core.models import AuditEvent
from ejournal.curriculum.models import TeachingAssignment

from ..models import TimetableEntry
from ..services import Item, timetable_cell_set, timetable_day_copy
from .helpers import assignment, bells, deputy, entry, line, room

FROM = dt.date(2026, 9, 1)


def put(world, a, *, weekday=1, number=1, room_=None, confirmed=False, cls=None, valid_from=FROM, items=None):
    return timetable_cell_set(
        school_class=cls or world.cls, weekday=weekday, lesson_number=number,
        items=items if items is not None else [Item(a, room_)], valid_from=valid_from, confirmed=confirmed,
        actor=deputy(world),
    )  # fmt: skip


@pytest.fixture
def ready(world):
    bells(world)
    line(world, hours="5")
    return world


def test_a_clean_cell_is_saved_without_questions(ready):
    outcome = put(ready, assignment(ready))
    assert outcome.saved and outcome.warnings == []
    assert TimetableEntry.objects.get().valid_from == FROM
    assert AuditEvent.objects.filter(action="timetable_changed").count() == 1


def test_a_teacher_booked_twice_is_a_warning_until_confirmed(ready):
    entry(ready, assignment(ready, cls=ready.other_cls), weekday=1, number=1)
    outcome = put(ready, assignment(ready))
    assert not outcome.saved
    assert any("Попова Е.С." in w and "уже ведёт урок" in w for w in outcome.warnings)
    assert not TimetableEntry.objects.filter(school_class=ready.cls).exists()
    assert put(ready, assignment(ready), confirmed=True).saved
    assert TimetableEntry.objects.filter(school_class=ready.cls).count() == 1


def test_a_room_booked_twice_is_a_warning(ready):
    r = room(ready)
    entry(ready, assignment(ready, cls=ready.other_cls, teacher=ready.other_teacher), room=r)
    outcome = put(ready, assignment(ready), room_=r)
    assert not outcome.saved
    assert any("кабинет 101" in w for w in outcome.warnings)


def test_alternating_weeks_do_not_clash(ready):
    entry(ready, assignment(ready, cls=ready.other_cls), parity=1)
    outcome = put(ready, None, items=[Item(assignment(ready), None, 2)])
    assert outcome.saved and outcome.warnings == []


def test_more_hours_than_the_curriculum_is_a_warning(ready):
    a = assignment(ready, hours="2")
    CurriculumLine = type(line(ready, name="История", hours="1"))
    CurriculumLine.objects.filter(subject__name="Математика").update(hours_per_week=2)
    assert put(ready, a, weekday=1).saved
    assert put(ready, a, weekday=2).saved
    outcome = put(ready, a, weekday=3)
    assert not outcome.saved
    assert outcome.warnings == ["«Математика»: в расписании 3 ч в неделю, а по учебному плану 2 ч, по нагрузке 2 ч."]


def test_a_subject_missing_from_the_curriculum_is_a_warning(ready):
    outcome = put(ready, assignment(ready, name="История"))
    assert any("нет в учебном плане" in w for w in outcome.warnings)


def test_a_lesson_number_without_a_bell_is_a_warning(ready):
    outcome = put(ready, assignment(ready), number=9)
    assert any("нет звонка" in w for w in outcome.warnings)


def test_a_subgroup_lesson_over_a_whole_class_lesson_is_a_warning(ready):
    whole, group = assignment(ready), assignment(ready, name="Иностранный язык (английский)", subgroup=ready.subgroup)
    line(ready, name="Иностранный язык (английский)", hours="3")
    outcome = put(ready, None, items=[Item(whole), Item(group)])
    assert any("подгруппы совпадает" in w for w in outcome.warnings)


@pytest.mark.parametrize("number", [0, 13])
def test_an_impossible_lesson_number_is_refused(ready, number):
    with pytest.raises(ValidationError) as exc:
        put(ready, assignment(ready), number=number, confirmed=True)
    assert exc.value.messages == ["Номер урока должен быть от 1 до 12"]
    assert not TimetableEntry.objects.exists()


def test_saturday_is_refused_in_a_five_day_week(ready):
    with pytest.raises(ValidationError, match="учебная неделя из 5 дней"):
        put(ready, assignment(ready), weekday=6, confirmed=True)


def test_an_assignment_of_another_school_is_refused(ready):
    foreign = assignment(ready, cls=ready.foreign_cls, teacher=ready.foreign_teacher)
    with pytest.raises(ValidationError, match="только нагрузку этого класса"):
        put(ready, foreign, confirmed=True)
    with pytest.raises(ValidationError):
        put(ready, assignment(ready, cls=ready.other_cls), confirmed=True)
    assert not TimetableEntry.objects.exists()


def test_a_change_from_a_date_keeps_the_old_version(ready):
    a, b = assignment(ready), assignment(ready, name="История", teacher=ready.other_teacher)
    line(ready, name="История", hours="2")
    put(ready, a)
    put(ready, b, valid_from=dt.date(2026, 10, 1))
    old, new = TimetableEntry.objects.order_by("valid_from")
    assert (old.assignment, old.valid_to) == (a, dt.date(2026, 9, 30))
    assert (new.assignment, new.valid_from, new.valid_to) == (b, dt.date(2026, 10, 1), None)


def test_saving_the_same_cell_again_changes_nothing(ready):
    a = assignment(ready)
    put(ready, a)
    put(ready, a, valid_from=dt.date(2026, 10, 1))
    assert TimetableEntry.objects.count() == 1


def test_copy_a_day_and_clear_a_cell(ready):
    a = assignment(ready)
    put(ready, a, weekday=1, number=1)
    put(ready, a, weekday=1, number=2)
    assert timetable_day_copy(
        school_class=ready.cls, weekday_from=1, weekday_to=3, valid_from=FROM, confirmed=False, actor=deputy(ready)
    ).saved
    assert set(TimetableEntry.objects.filter(weekday=3).values_list("lesson_number", flat=True)) == {1, 2}
    put(ready, a, weekday=3, number=2, items=[])
    assert set(TimetableEntry.objects.filter(weekday=3).values_list("lesson_number", flat=True)) == {1}


# --- the pages ---------------------------------------------------------------------------------


def cell_url(world, weekday=1, number=1):
    return reverse("timetable:cell", args=[world.cls.pk, weekday, number])


def test_editor_page_asks_to_confirm_then_saves(ready, login_as):
    client = login_as(ready.deputy_head, Role.DEPUTY_HEAD)
    entry(ready, assignment(ready, cls=ready.other_cls), weekday=1, number=1)
    a = assignment(ready)
    data = {"assignment": a.pk, "week_parity": 0, "week_parity2": 0, "valid_from": "2026-09-01"}
    response = client.post(cell_url(ready), data, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "Сохранить всё равно" in response.content.decode()
    assert not TimetableEntry.objects.filter(school_class=ready.cls).exists()
    response = client.post(cell_url(ready), data | {"confirm": "on"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert TimetableEntry.objects.filter(school_class=ready.cls, assignment=a).exists()


def test_editor_page_refuses_lesson_13_in_russian(ready, login_as):
    client = login_as(ready.deputy_head, Role.DEPUTY_HEAD)
    data = {"assignment": assignment(ready).pk, "week_parity": 0, "week_parity2": 0, "valid_from": "2026-09-01"}
    response = client.post(cell_url(ready, number=13), data | {"confirm": "on"})
    assert response.status_code == 400
    assert "Номер урока должен быть от 1 до 12" in response.content.decode()
    assert not TimetableEntry.objects.exists()


def test_editor_page_refuses_an_assignment_of_another_class(ready, login_as):
    client = login_as(ready.deputy_head, Role.DEPUTY_HEAD)
    foreign = assignment(ready, cls=ready.foreign_cls, teacher=ready.foreign_teacher)
    data = {"assignment": foreign.pk, "week_parity": 0, "week_parity2": 0, "valid_from": "2026-09-01"}
    response = client.post(cell_url(ready), data | {"confirm": "on"})
    assert response.status_code == 400
    assert not TimetableEntry.objects.exists()


def test_coordinator_and_teacher_cannot_edit(ready, login_as):
    a = assignment(ready)
    data = {"assignment": a.pk, "week_parity": 0, "week_parity2": 0, "valid_from": "2026-09-01", "confirm": "on"}
    for user, role in ((ready.coordinator, Role.JOURNAL_COORDINATOR), (ready.teacher, Role.CLASS_TEACHER)):
        assert login_as(user, role).post(cell_url(ready), data).status_code == 403
    assert not TimetableEntry.objects.exists()
    assert TeachingAssignment.objects.count() == 1


def test_editor_page_query_count_does_not_grow_with_lessons(ready, login_as, django_assert_max_num_queries):
    client = login_as(ready.deputy_head, Role.DEPUTY_HEAD)
    url = reverse("timetable:editor", args=[ready.cls.pk]) + "?from=2026-09-01"
    entry(ready, assignment(ready))
    with django_assert_max_num_queries(30) as few:
        client.get(url)
    for n in range(2, 7):
        entry(ready, assignment(ready, name="История", teacher=ready.other_teacher), weekday=2, number=n)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


def test_cell_form_copy_day_and_generation_pages(ready, login_as):
    client = login_as(ready.deputy_head, Role.DEPUTY_HEAD)
    a = assignment(ready)
    put(ready, a)
    form = client.get(cell_url(ready) + "?from=2026-09-01", HTTP_HX_REQUEST="true").content.decode()
    assert f'value="{a.pk}" selected' in form and "Очистить клетку" in form
    copy = {"weekday_from": 1, "weekday_to": 2, "valid_from": "2026-09-01"}
    assert client.post(reverse("timetable:copy_day", args=[ready.cls.pk]), copy).status_code == 302
    assert TimetableEntry.objects.filter(weekday=2).count() == 1
    response = client.post(reverse("timetable:generate"), {"period": "year"})
    assert response.status_code == 302
    page = client.get(reverse("timetable:generate")).content.decode()
    assert "создано" in page and "Конфликты: 0" in page
