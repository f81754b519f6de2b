"""Guardian pages: list, create for a child, link, unlink, each school's own links."""

from django.urls import reverse

from ejournal.access.roles import Role
from ejournal.people.models import Guardian, GuardianLink

from .test_admin_classes import queries_for


def test_guardian_list_takes_the_same_queries_for_many_guardians(world, login_as, django_assert_num_queries):
    client = login_as(world.coordinator, Role.JOURNAL_COORDINATOR)
    url = reverse("people:guardians")
    baseline = queries_for(client, url)
    for n in range(20):
        guardian = Guardian.objects.create(last_name="Белов", first_name=f"Игорь{n}")
        GuardianLink.objects.create(school=world.school, guardian=guardian, student=world.classmate, relation="father")
    with django_assert_num_queries(baseline):
        response = client.get(url)
    assert response.content.decode().count("Белова Дарья Игоревна (5 «А»)") == 20


def test_a_guardian_shared_with_another_school_shows_only_our_children(world, login_as):
    GuardianLink.objects.create(
        school=world.other_school, guardian=world.guardian, student=world.foreign_student, relation="mother"
    )
    client = login_as(world.coordinator, Role.JOURNAL_COORDINATOR)
    page = client.get(reverse("people:guardian_detail", args=[world.guardian.pk])).content.decode()
    assert "Орлов Максим" in page and "Зайцев" not in page


def test_create_asks_for_the_child_first(world, login_as):
    client = login_as(world.coordinator, Role.JOURNAL_COORDINATOR)
    page = client.get(reverse("people:guardian_create"), {"q": "белова"}).content.decode()
    assert f"?student={world.classmate.pk}" in page


def test_create_records_and_links_the_guardian(world, login_as):
    client = login_as(world.coordinator, Role.JOURNAL_COORDINATOR)
    url = reverse("people:guardian_create") + f"?student={world.classmate.pk}"
    data = {"last_name": "Белов", "first_name": "Игорь", "phone": "+7 918 000-11-22", "relation": "father"}
    response = client.post(url, data)
    guardian = Guardian.objects.get(last_name="Белов")
    assert response["Location"] == reverse("people:guardian_detail", args=[guardian.pk])
    assert guardian.links.get().student == world.classmate


def test_a_bad_phone_is_refused_in_russian(world, login_as):
    client = login_as(world.coordinator, Role.JOURNAL_COORDINATOR)
    url = reverse("people:guardian_create") + f"?student={world.classmate.pk}"
    response = client.post(url, {"last_name": "Белов", "first_name": "Игорь", "phone": "звоните", "relation": "father"})
    assert response.status_code == 200 and "Телефон — цифры" in response.content.decode()
    assert not Guardian.objects.filter(last_name="Белов").exists()


def test_create_for_a_foreign_child_is_not_found(world, login_as):
    client = login_as(world.coordinator, Role.JOURNAL_COORDINATOR)
    url = reverse("people:guardian_create") + f"?student={world.foreign_student.pk}"
    assert client.post(url, {"last_name": "X", "first_name": "Y", "relation": "father"}).status_code == 404


def test_link_search_and_link(world, login_as):
    client = login_as(world.coordinator, Role.JOURNAL_COORDINATOR)
    url = reverse("people:guardian_link", args=[world.guardian.pk])
    results = client.get(url, {"q": "Белова"}, HTTP_HX_REQUEST="true").content.decode()
    assert f'value="{world.classmate.pk}"' in results and "Зайцев" not in results
    response = client.post(url, {"student": world.classmate.pk, "relation": "guardian"})
    assert response.status_code == 302
    assert GuardianLink.objects.get(guardian=world.guardian, student=world.classmate).relation == "guardian"


def test_linking_a_foreign_child_is_not_found(world, login_as):
    client = login_as(world.coordinator, Role.JOURNAL_COORDINATOR)
    url = reverse("people:guardian_link", args=[world.guardian.pk])
    assert client.post(url, {"student": world.foreign_student.pk, "relation": "mother"}).status_code == 404
    assert not GuardianLink.objects.filter(guardian=world.guardian, student=world.foreign_student).exists()


def test_unlink_removes_only_our_link(world, login_as):
    client = login_as(world.coordinator, Role.JOURNAL_COORDINATOR)
    link = world.guardian.links.get(student=world.sibling)
    assert client.post(reverse("people:guardian_unlink", args=[link.pk])).status_code == 302
    assert not GuardianLink.objects.filter(pk=link.pk).exists()
    foreign_link = world.foreign_guardian.links.get()
    assert client.post(reverse("people:guardian_unlink", args=[foreign_link.pk])).status_code == 404


def test_guardian_pages_are_for_the_administration(world, login_as):
    for role in (Role.CLASS_TEACHER, Role.TEACHER, Role.GUARDIAN):
        client = login_as(world.personas[role], role)
        assert client.get(reverse("people:guardian_detail", args=[world.guardian.pk])).status_code == 403
        assert client.post(reverse("people:guardian_edit", args=[world.guardian.pk]), {}).status_code == 403
