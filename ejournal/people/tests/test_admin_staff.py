"""Staff pages: list with roles, adding a person with a login, appointments and their end."""

from django.urls import reverse

from ejournal.access.roles import Role
from ejournal.accounts.models import User
from ejournal.people.models import RoleAssignment
from ejournal.testing import appoint, make_user

from .test_admin_classes import queries_for


def test_staff_list_takes_the_same_queries_for_many_people(world, login_as, django_assert_num_queries):
    client = login_as(world.deputy_head, Role.DEPUTY_HEAD)
    url = reverse("people:staff")
    baseline = queries_for(client, url)
    for n in range(15):
        appoint(make_user(f"t{n}", "Учителева", f"Анна{n}"), Role.TEACHER, school=world.school, position="учитель")
    with django_assert_num_queries(baseline):
        response = client.get(url)
    assert response.content.decode().count("Учителева") == 15


def test_director_adds_a_teacher_and_gets_the_slip(world, login_as):
    client = login_as(world.director, Role.DIRECTOR)
    data = {"last_name": "Щукина", "first_name": "Юлия", "roles": [Role.TEACHER], "position": "учитель химии"}
    response = client.post(reverse("people:staff_add"), data)
    assert response["Location"] == reverse("people:slips")
    user = User.objects.get(last_name="Щукина")
    assert user.must_change_password and user.role_assignments.get().position == "учитель химии"
    slip = client.get(reverse("people:slips")).content.decode()
    assert user.username in slip and "Щукина Юлия" in slip


def test_staff_add_without_a_role_is_refused(world, login_as):
    client = login_as(world.coordinator, Role.JOURNAL_COORDINATOR)
    response = client.post(reverse("people:staff_add"), {"last_name": "Щукина", "first_name": "Юлия"})
    assert response.status_code == 200 and "Обязательное поле" in response.content.decode()
    assert not User.objects.filter(last_name="Щукина").exists()


def test_coordinator_cannot_appoint_a_director(world, login_as):
    client = login_as(world.coordinator, Role.JOURNAL_COORDINATOR)
    url = reverse("people:appointment_add", args=[world.other_teacher.pk])
    response = client.post(url, {"role": Role.DIRECTOR})
    assert response.status_code == 200 and "может только директор" in response.content.decode()
    assert not RoleAssignment.objects.filter(user=world.other_teacher, role=Role.DIRECTOR).exists()


def test_deputy_head_sees_staff_but_does_not_manage_it(world, login_as):
    client = login_as(world.deputy_head, Role.DEPUTY_HEAD)
    assert client.get(reverse("people:staff")).status_code == 200
    assert client.get(reverse("people:staff_add")).status_code == 403
    assignment = RoleAssignment.objects.get(user=world.other_teacher)
    assert (
        client.post(reverse("people:appointment_end", args=[assignment.pk]), {"ends_on": "2026-12-31"}).status_code
        == 403
    )


def test_ending_an_appointment_keeps_it_in_history(world, login_as):
    client = login_as(world.coordinator, Role.JOURNAL_COORDINATOR)
    assignment = RoleAssignment.objects.get(user=world.other_teacher)
    response = client.post(reverse("people:appointment_end", args=[assignment.pk]), {"ends_on": "31.12.2026"})
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.ends_on.isoformat() == "2026-12-31"
    page = client.get(reverse("people:staff_detail", args=[world.other_teacher.pk])).content.decode()
    assert "31.12.2026" in page


def test_foreign_staff_is_not_found(world, login_as):
    client = login_as(world.director, Role.DIRECTOR)
    assert client.get(reverse("people:staff_detail", args=[world.foreign_teacher.pk])).status_code == 404
    foreign = RoleAssignment.objects.get(user=world.foreign_teacher)
    assert (
        client.post(reverse("people:appointment_end", args=[foreign.pk]), {"ends_on": "2026-12-31"}).status_code == 404
    )
    assert client.post(reverse("people:staff_credentials", args=[world.foreign_teacher.pk])).status_code == 404
