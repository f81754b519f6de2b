"""Student pages: list and search, admission, moves, departure, history in both schools."""

import datetime as dt

from django.urls import reverse

from ejournal.access.roles import Role
from ejournal.people.models import Departure, Enrolment, Student
from ejournal.testing import make_student

from .test_admin_classes import queries_for


def test_student_list_takes_the_same_queries_for_a_full_page(world, login_as, django_assert_num_queries):
    client = login_as(world.coordinator, Role.JOURNAL_COORDINATOR)
    url = reverse("people:students")
    baseline = queries_for(client, url)
    for n in range(60):
        make_student(world.other_cls, "Новиков", f"Иван{n}")
    with django_assert_num_queries(baseline):
        response = client.get(url)
    assert response.context["page"].paginator.count == 63 and len(response.context["page"]) == 50


def test_search_answers_htmx_with_the_table_only(world, login_as):
    client = login_as(world.deputy_head, Role.DEPUTY_HEAD)
    response = client.get(reverse("people:students"), {"q": "белова"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "Белова Дарья" in body and "Орлов" not in body and "<html" not in body


def test_bad_filters_do_not_break_the_list(world, login_as):
    client = login_as(world.coordinator, Role.JOURNAL_COORDINATOR)
    response = client.get(reverse("people:students"), {"class": "x'1", "status": "<b>", "page": "999"})
    assert response.status_code == 200


def test_coordinator_admits_a_new_student(world, login_as):
    client = login_as(world.coordinator, Role.JOURNAL_COORDINATOR)
    data = {
        "last_name": "Ершов",
        "first_name": "Илья",
        "birth_date": "2015-05-05",
        "school_class": world.other_cls.pk,
        "on_date": "02.09.2026",
        "order_number": "15",
    }
    response = client.post(reverse("people:student_create"), data)
    student = Student.objects.get(last_name="Ершов")
    assert response["Location"] == reverse("people:student_detail", args=[student.pk])
    assert student.enrolments.get().starts_on == dt.date(2026, 9, 2)


def test_transfer_with_a_bad_date_is_refused_in_russian_and_nothing_changes(world, login_as):
    client = login_as(world.coordinator, Role.JOURNAL_COORDINATOR)
    url = reverse("people:student_transfer", args=[world.student.pk])
    response = client.post(url, {"school_class": world.other_cls.pk, "on_date": "2026-08-01"})
    assert response.status_code == 200
    assert "должна быть позже даты зачисления в текущий класс (01.09.2026)" in response.content.decode()
    world.student.refresh_from_db()
    assert world.student.school_class == world.cls and world.student.enrolments.count() == 1


def test_transfer_moves_the_student_and_the_page_shows_the_history(world, login_as):
    client = login_as(world.coordinator, Role.JOURNAL_COORDINATOR)
    url = reverse("people:student_transfer", args=[world.student.pk])
    client.post(url, {"school_class": world.other_cls.pk, "on_date": "2026-10-01", "order_number": "33"})
    page = client.get(reverse("people:student_detail", args=[world.student.pk])).content.decode()
    assert "30.09.2026" in page and "01.10.2026" in page and "перевод" in page


def test_departure_page_closes_the_enrolment(world, login_as):
    client = login_as(world.director, Role.DIRECTOR)
    url = reverse("people:student_depart", args=[world.student.pk])
    response = client.post(url, {"on_date": "2026-11-10", "reason": "переезд", "order_number": "45-у"})
    assert response.status_code == 302
    enrolment = Enrolment.objects.get(student=world.student)
    assert enrolment.ends_on == dt.date(2026, 11, 9) and Departure.objects.get().order_number == "45-у"


def test_departure_without_order_number_is_refused(world, login_as):
    client = login_as(world.director, Role.DIRECTOR)
    url = reverse("people:student_depart", args=[world.student.pk])
    response = client.post(url, {"on_date": "2026-11-10", "reason": "переезд"})
    assert response.status_code == 200 and "Обязательное поле" in response.content.decode()
    assert not Departure.objects.exists()


def test_transfer_to_another_school_reaches_its_administration(world, login_as, client):
    login_as(world.coordinator, Role.JOURNAL_COORDINATOR)
    url = reverse("people:student_transfer_school", args=[world.student.pk])
    client.post(url, {"to_school": world.other_school.pk, "on_date": "2026-12-01", "order_number": "90"})
    # The school that was left keeps the student's history and can no longer change them.
    page = client.get(reverse("people:student_detail", args=[world.student.pk]))
    assert page.status_code == 200 and "Выбыл(а) из вашей школы" in page.content.decode()
    assert client.get(reverse("people:student_edit", args=[world.student.pk])).status_code == 403
    # The receiving school sees the student among arrivals and admits them.
    login_as(world.foreign_coordinator, Role.JOURNAL_COORDINATOR)
    arrivals = client.get(reverse("people:students"), {"status": "arriving"})
    assert "Орлов Максим" in arrivals.content.decode()
    admit = reverse("people:student_admit", args=[world.student.pk])
    assert client.post(admit, {"school_class": world.foreign_cls.pk, "on_date": "2026-12-01"}).status_code == 302
    world.student.refresh_from_db()
    assert world.student.school_class == world.foreign_cls


def test_class_teacher_reads_own_students_but_does_not_edit_them(world, login_as):
    client = login_as(world.teacher, Role.CLASS_TEACHER)
    assert client.get(reverse("people:student_detail", args=[world.student.pk])).status_code == 200
    assert client.get(reverse("people:student_detail", args=[world.sibling.pk])).status_code == 404
    for name in ("student_edit", "student_transfer", "student_depart", "student_transfer_school"):
        assert client.post(reverse(f"people:{name}", args=[world.student.pk]), {}).status_code == 403


def test_foreign_students_are_not_found(world, login_as):
    client = login_as(world.coordinator, Role.JOURNAL_COORDINATOR)
    for name in ("student_detail", "student_edit", "student_depart"):
        assert client.get(reverse(f"people:{name}", args=[world.foreign_student.pk])).status_code == 404


def test_student_edit_saves_personal_data(world, login_as):
    client = login_as(world.coordinator, Role.JOURNAL_COORDINATOR)
    url = reverse("people:student_edit", args=[world.classmate.pk])
    data = {"last_name": "Белова", "first_name": "Дарья", "middle_name": "", "birth_date": "01.03.2015", "gender": "f"}
    assert client.post(url, data).status_code == 302
    world.classmate.refresh_from_db()
    assert (world.classmate.middle_name, world.classmate.gender) == ("", "f")
