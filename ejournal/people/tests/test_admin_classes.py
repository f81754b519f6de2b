"""Class and subgroup pages: who may do what, Russian refusals, constant queries."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ejournal.access.roles import Role
from ejournal.people.models import SubgroupMembership
from ejournal.schools.models import SchoolClass, Subgroup
from ejournal.testing import make_student


def queries_for(client, url) -> int:
    """Queries of a steady request: the first one loads the session and builds the cached access."""
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_class_list_takes_the_same_queries_for_many_classes(world, login_as, django_assert_num_queries):
    client = login_as(world.coordinator, Role.JOURNAL_COORDINATOR)
    url = reverse("people:classes")
    baseline = queries_for(client, url)
    for letter in "ВГДЕЖ":
        cls = SchoolClass.objects.create(school=world.school, year=world.year, grade=6, letter=letter)
        make_student(cls, "Новиков", letter)
        Subgroup.objects.create(school=world.school, school_class=cls, name="Группа")
    with django_assert_num_queries(baseline):
        response = client.get(url)
    assert response.content.decode().count("/school/classes/") >= 7


def test_coordinator_creates_a_class(world, login_as):
    client = login_as(world.coordinator, Role.JOURNAL_COORDINATOR)
    response = client.post(
        reverse("people:class_create"), {"grade": 1, "letter": "а", "class_teacher": world.other_teacher.pk, "shift": 1}
    )
    cls = SchoolClass.objects.get(school=world.school, grade=1)
    assert response.status_code == 302 and response["Location"] == reverse("people:class_detail", args=[cls.pk])
    assert cls.letter == "А" and cls.class_teacher == world.other_teacher


def test_a_duplicate_class_is_refused_in_russian_and_nothing_is_saved(world, login_as):
    client = login_as(world.director, Role.DIRECTOR)
    before = SchoolClass.objects.count()
    response = client.post(reverse("people:class_create"), {"grade": 5, "letter": "А", "shift": 1})
    assert response.status_code == 200
    assert "Класс 5 «А» в этом учебном году уже есть." in response.content.decode()
    assert SchoolClass.objects.count() == before


def test_a_class_teacher_cannot_pick_a_foreign_teacher(world, login_as):
    client = login_as(world.director, Role.DIRECTOR)
    response = client.post(
        reverse("people:class_edit", args=[world.cls.pk]),
        {"grade": 5, "letter": "А", "class_teacher": world.foreign_teacher.pk, "shift": 1},
    )
    assert response.status_code == 200 and "class_teacher" in response.context["form"].errors
    world.cls.refresh_from_db()
    assert world.cls.class_teacher == world.teacher


def test_class_teacher_sees_own_class_page_but_not_another(world, login_as):
    client = login_as(world.teacher, Role.CLASS_TEACHER)
    page = client.get(reverse("people:class_detail", args=[world.cls.pk]))
    assert page.status_code == 200 and "Белова Дарья Игоревна" in page.content.decode()
    assert client.get(reverse("people:class_detail", args=[world.other_cls.pk])).status_code == 404
    assert client.get(reverse("people:class_edit", args=[world.cls.pk])).status_code == 403


def test_class_teacher_edits_subgroup_membership(world, login_as):
    client = login_as(world.teacher, Role.CLASS_TEACHER)
    url = reverse("people:subgroup_members", args=[world.subgroup.pk])
    response = client.post(url, {"students": [world.student.pk], "on_date": "01.10.2026"})
    assert response.status_code == 302
    member = SubgroupMembership.objects.get(subgroup=world.subgroup)
    assert (member.student, member.starts_on, member.school) == (world.student, dt.date(2026, 10, 1), world.school)


def test_a_student_of_another_class_cannot_be_slipped_into_a_subgroup(world, login_as):
    client = login_as(world.teacher, Role.CLASS_TEACHER)
    url = reverse("people:subgroup_members", args=[world.subgroup.pk])
    response = client.post(url, {"students": [world.sibling.pk], "on_date": "01.10.2026"})
    assert response.status_code == 200 and not SubgroupMembership.objects.exists()


def test_a_bad_date_gives_a_russian_message(world, login_as):
    client = login_as(world.teacher, Role.CLASS_TEACHER)
    url = reverse("people:subgroup_members", args=[world.subgroup.pk])
    response = client.post(url, {"students": [world.student.pk], "on_date": "31.02.2026"})
    assert response.status_code == 200 and "Введите дату в виде ДД.ММ.ГГГГ." in response.content.decode()
    assert not SubgroupMembership.objects.exists()


def test_teacher_of_another_class_cannot_touch_its_subgroups(world, login_as):
    client = login_as(world.other_teacher, Role.CLASS_TEACHER)
    assert client.post(reverse("people:subgroup_create", args=[world.cls.pk]), {"name": "X"}).status_code == 404
    assert client.post(reverse("people:subgroup_delete", args=[world.subgroup.pk])).status_code == 404
    assert Subgroup.objects.filter(pk=world.subgroup.pk).exists()


def test_subgroup_create_rename_and_delete(world, login_as):
    client = login_as(world.teacher, Role.CLASS_TEACHER)
    client.post(reverse("people:subgroup_create", args=[world.cls.pk]), {"name": "Информатика, 1 группа"})
    subgroup = Subgroup.objects.get(name="Информатика, 1 группа")
    client.post(reverse("people:subgroup_edit", args=[subgroup.pk]), {"name": "Информатика, группа А"})
    subgroup.refresh_from_db()
    assert subgroup.name == "Информатика, группа А"
    response = client.post(reverse("people:subgroup_delete", args=[subgroup.pk]))
    assert response.status_code == 302 and not Subgroup.objects.filter(pk=subgroup.pk).exists()


def test_a_subgroup_with_members_is_not_deleted(world, login_as):
    SubgroupMembership.objects.create(
        school=world.school, subgroup=world.subgroup, student=world.student, starts_on=dt.date(2026, 9, 1)
    )
    client = login_as(world.coordinator, Role.JOURNAL_COORDINATOR)
    response = client.post(reverse("people:subgroup_delete", args=[world.subgroup.pk]), follow=True)
    assert "нельзя удалить" in response.content.decode()
    assert Subgroup.objects.filter(pk=world.subgroup.pk).exists()


def test_class_pages_are_refused_to_family_and_district(world, login_as):
    for role in (Role.GUARDIAN, Role.STUDENT, Role.DISTRICT_OFFICER):
        client = login_as(world.personas[role], role)
        assert client.get(reverse("people:classes")).status_code == 403
        assert client.get(reverse("people:class_detail", args=[world.cls.pk])).status_code == 403


def test_class_page_takes_the_same_queries_for_a_full_class(world, login_as, django_assert_num_queries):
    client = login_as(world.teacher, Role.CLASS_TEACHER)
    url = reverse("people:class_detail", args=[world.cls.pk])
    baseline = queries_for(client, url)
    for n in range(25):
        make_student(world.cls, "Новиков", f"Иван{n}")
    Subgroup.objects.create(school=world.school, school_class=world.cls, name="Информатика, 2 группа")
    with django_assert_num_queries(baseline):
        response = client.get(url)
    assert len(response.context["enrolments"]) == 27
