"""Credential slips: issued once, printable for a whole class, and the forced password change."""

import pytest
from django.urls import reverse

from ejournal.access.roles import Role
from ejournal.accounts.models import User
from ejournal.core.models import AuditEvent
from ejournal.testing import PASSWORD, appoint


def test_the_slip_shows_the_password_once(world, login_as):
    client = login_as(world.coordinator, Role.JOURNAL_COORDINATOR)
    response = client.post(reverse("people:student_credentials", args=[world.classmate.pk]))
    assert response["Location"] == reverse("people:slips")
    world.classmate.refresh_from_db()
    first = client.get(reverse("people:slips"))
    slip = first.context["slips"][0]
    assert slip["login"] == world.classmate.user.username and world.classmate.user.check_password(slip["password"])
    body = first.content.decode()
    assert slip["password"] in body and "СОШ № 1" in body and "http://testserver/accounts/login/" in body
    again = client.get(reverse("people:slips")).content.decode()
    assert slip["password"] not in again and "только один раз" in again
    assert slip["password"] not in str(list(AuditEvent.objects.values_list("changes", flat=True)))


def test_class_slips_leave_existing_logins_alone_unless_asked(world, login_as):
    client = login_as(world.teacher, Role.CLASS_TEACHER)
    url = reverse("people:class_slips", args=[world.cls.pk])
    response = client.post(url, {"who": "guardians"}, follow=True)
    assert "у всех они уже есть" in response.content.decode()
    assert world.guardian_user.check_password(PASSWORD)
    client.post(url, {"who": "guardians", "reissue": "on", "confirmed": "yes"})
    world.guardian_user.refresh_from_db()
    assert not world.guardian_user.check_password(PASSWORD) and world.guardian_user.must_change_password


def test_new_passwords_for_a_class_ask_first_and_a_post_without_the_answer_changes_nothing(world, login_as):
    client = login_as(world.teacher, Role.CLASS_TEACHER)
    url = reverse("people:class_slips", args=[world.cls.pk])
    question = client.post(url, {"who": "guardians", "reissue": "on"})
    html = question.content.decode()
    assert question.status_code == 200 and 'role="alertdialog"' in html
    assert "1 человек получит новый пароль" in html and "прежний пароль перестанет действовать" in html
    assert 'id="confirm-cancel"' in html and f'href="{reverse("people:class_detail", args=[world.cls.pk])}"' in html
    assert '<input type="hidden" name="reissue" value="on">' in html and 'name="confirmed" value="yes"' in html
    world.guardian_user.refresh_from_db()
    assert world.guardian_user.check_password(PASSWORD) and not world.guardian_user.must_change_password
    assert not AuditEvent.objects.filter(action="credentials_issue").exists()
    assert client.get(reverse("people:slips")).context["slips"] == []


def test_class_slips_issue_to_guardians_without_a_login(world, login_as):
    world.guardian.user = None
    world.guardian.save()
    client = login_as(world.teacher, Role.CLASS_TEACHER)
    url = reverse("people:class_slips", args=[world.cls.pk])
    assert "1 человек получит логин и пароль впервые" in client.post(url, {"who": "guardians"}).content.decode()
    world.guardian.refresh_from_db()
    assert world.guardian.user is None
    client.post(url, {"who": "guardians", "confirmed": "yes"})
    slips = client.get(reverse("people:slips")).context["slips"]
    assert [(s["name"], s["children"]) for s in slips] == [
        ("Орлова Марина Викторовна", "Орлов Максим Андреевич (5 «А»)")
    ]
    world.guardian.refresh_from_db()
    assert world.guardian.user.username == slips[0]["login"]


def test_class_teacher_cannot_issue_for_another_class(world, login_as):
    client = login_as(world.teacher, Role.CLASS_TEACHER)
    assert client.post(reverse("people:class_slips", args=[world.other_cls.pk]), {"who": "students"}).status_code == 404
    assert client.post(reverse("people:student_credentials", args=[world.sibling.pk])).status_code == 404
    assert client.post(reverse("people:student_credentials", args=[world.foreign_student.pk])).status_code == 404


def test_a_plain_teacher_cannot_issue_credentials(world, login_as):
    teacher = User.objects.create(username="plain", last_name="Простая")
    appoint(teacher, Role.TEACHER, school=world.school)
    client = login_as(teacher, Role.TEACHER)
    assert client.post(reverse("people:student_credentials", args=[world.classmate.pk])).status_code == 403
    assert client.get(reverse("people:slips")).status_code == 403


def test_a_refused_reissue_explains_why(world, login_as):
    client = login_as(world.coordinator, Role.JOURNAL_COORDINATOR)
    response = client.post(reverse("people:staff_credentials", args=[world.director.pk]), follow=True)
    assert "Пароль директора может сменить только директор." in response.content.decode()
    world.director.refresh_from_db()
    assert world.director.check_password(PASSWORD)


def test_guardian_credentials_from_the_student_page(world, login_as):
    world.guardian.user = None
    world.guardian.save()
    client = login_as(world.coordinator, Role.JOURNAL_COORDINATOR)
    response = client.post(
        reverse("people:guardian_credentials", args=[world.guardian.pk]), {"back_student": world.student.pk}
    )
    assert response["Location"] == reverse("people:slips")
    slip = client.get(reverse("people:slips")).context["slips"][0]
    assert "Орлова Анна Андреевна (5 «Б»)" in slip["children"]


@pytest.fixture
def forced(settings):
    settings.MIDDLEWARE = [
        *settings.MIDDLEWARE[: settings.MIDDLEWARE.index("ejournal.portal.middleware.ActorMiddleware") + 1],
        "ejournal.people.middleware.PasswordChangeRequiredMiddleware",
        *settings.MIDDLEWARE[settings.MIDDLEWARE.index("ejournal.portal.middleware.ActorMiddleware") + 1 :],
    ]


def test_a_one_time_password_must_be_changed_before_anything_else(world, client, forced):
    world.student_user.must_change_password = True
    world.student_user.save()
    client.force_login(world.student_user)
    response = client.get(reverse("portal:home"))
    assert response.status_code == 302 and response["Location"] == reverse("accounts:password_change")
    htmx = client.get(reverse("portal:home"), HTTP_HX_REQUEST="true")
    assert htmx["HX-Redirect"] == reverse("accounts:password_change")
    assert client.get(reverse("accounts:password_change")).status_code == 200
    new = "Novyi-parol-2026"
    changed = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert changed.status_code == 302
    world.student_user.refresh_from_db()
    assert not world.student_user.must_change_password
    assert client.get(reverse("portal:home")).status_code == 200


def test_a_rejected_password_change_keeps_the_user_on_the_change_page(world, client, forced):
    world.student_user.must_change_password = True
    world.student_user.save()
    client.force_login(world.student_user)
    bad = client.post(
        reverse("accounts:password_change"), {"old_password": "wrong", "new_password1": "x", "new_password2": "y"}
    )
    assert bad.status_code == 200
    world.student_user.refresh_from_db()
    assert world.student_user.must_change_password
    assert client.get(reverse("portal:home")).status_code == 302


def test_a_class_sheet_hashes_its_one_time_passwords_at_the_owasp_floor_and_sign_in_upgrades_them(
    world, login_as, settings
):
    """21 s for a class was Argon2 at the sign-in cost (100 MiB) per parent; a slip's password is random."""
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.Argon2PasswordHasher", "django.contrib.auth.hashers.MD5PasswordHasher",
    ]  # fmt: skip
    client = login_as(world.teacher, Role.CLASS_TEACHER)
    client.post(reverse("people:class_slips", args=[world.cls.pk]),
                {"who": "guardians", "reissue": "on", "confirmed": "yes"})  # fmt: skip
    slip = client.get(reverse("people:slips")).context["slips"][0]
    world.guardian_user.refresh_from_db()
    assert world.guardian_user.password.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    assert len(slip["password"]) >= 10
    assert world.guardian_user.check_password(slip["password"])  # the site's own hasher reads it, then upgrades
    world.guardian_user.refresh_from_db()
    assert world.guardian_user.password.startswith("argon2$argon2id$v=19$m=102400,t=2,p=8$")
