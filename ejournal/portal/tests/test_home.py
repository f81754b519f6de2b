import pytest

from ejournal.access.roles import Role

HEADINGS = {
    Role.MUNICIPAL_OFFICER: "Школы города по округам",
    Role.METHODIST: "Школы города по округам",
    Role.DISTRICT_OFFICER: "Школы округа",
    Role.DIRECTOR: "МБОУ СОШ № 1",
    Role.DEPUTY_HEAD: "МБОУ СОШ № 1",
    Role.JOURNAL_COORDINATOR: "МБОУ СОШ № 1",
    Role.TEACHER: "Рабочий стол учителя",
    Role.CLASS_TEACHER: "Рабочий стол учителя",
    Role.STUDENT: "Мой дневник",
    Role.GUARDIAN: "Мои дети",
}


@pytest.mark.parametrize("role", list(Role))
def test_each_role_sees_its_russian_home_page(world, login_as, role):
    client = login_as(world.personas[role], role)
    response = client.get("/")
    assert response.status_code == 200
    assert HEADINGS[role] in response.content.decode()


def test_anonymous_is_sent_to_login(client, db):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_district_officer_sees_only_own_district_schools(world, login_as):
    body = login_as(world.district_officer).get("/").content.decode()
    assert "СОШ № 1" in body
    assert "Гимназия № 2" not in body


def test_guardian_sees_both_children_and_no_other(world, login_as):
    body = login_as(world.guardian_user).get("/").content.decode()
    assert "Орлов Максим" in body and "Орлова Анна" in body
    assert "Зайцев" not in body


def test_switching_to_a_role_the_user_does_not_hold_is_refused(world, login_as):
    client = login_as(world.guardian_user)
    response = client.post("/role/", {"key": "a1"}, follow=True)
    assert "Эта роль вам недоступна." in response.content.decode()
    assert "Мои дети" in response.content.decode()


def test_teacher_who_is_also_a_parent_switches_roles(world, login_as):
    from ejournal.people.models import GuardianLink

    GuardianLink.objects.create(
        school=world.school, guardian=world.guardian, student=world.classmate, relation="mother"
    )
    world.guardian.user = world.teacher
    world.guardian.save()
    client = login_as(world.teacher, Role.CLASS_TEACHER)
    assert "Рабочий стол учителя" in client.get("/").content.decode()
    from ejournal.portal.actors import role_choices

    key = next(c.key for c in role_choices(world.teacher) if c.role == Role.GUARDIAN)
    body = client.post("/role/", {"key": key}, follow=True).content.decode()
    assert "Мои дети" in body and "Белова Дарья" in body
