"""Password storage, change and reset by e-mail."""

import importlib
import re

from django.contrib.auth.hashers import make_password
from django.core import mail

from ejournal.core.models import AuditEvent
from ejournal.testing import PASSWORD

NEW_PASSWORD = "Nov-parol-2026!"


def _reset_link(message) -> str:
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/\S+/)", message.body)
    assert link is not None
    return link.group(1)


def _without_csrf(content: bytes) -> str:
    return re.sub(r'("X-CSRFToken": "|name="csrfmiddlewaretoken" value=")[^"]+', r"\1", content.decode())


def test_argon2_is_the_first_hasher_of_the_project_settings(settings):
    project = importlib.import_module("ejournal.settings")
    assert project.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    settings.PASSWORD_HASHERS = project.PASSWORD_HASHERS
    assert make_password("secret-value").startswith("argon2$")


def test_password_change_requires_the_old_password(world, login_as):
    client = login_as(world.teacher)
    response = client.post(
        "/accounts/password/",
        {"old_password": "not-my-password", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 200
    assert "Ваш старый пароль введен неправильно" in response.content.decode()
    world.teacher.refresh_from_db()
    assert world.teacher.check_password(PASSWORD)


def test_password_change_with_the_old_password_works(world, login_as):
    client = login_as(world.teacher)
    response = client.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password/done/"
    world.teacher.refresh_from_db()
    assert world.teacher.check_password(NEW_PASSWORD)


def test_password_change_needs_sign_in(client, db):
    response = client.get("/accounts/password/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_password_reset_mails_a_link_that_sets_a_new_password(world, client):
    response = client.post("/accounts/password/reset/", {"email": "parent@example.ru"})
    assert response["Location"] == "/accounts/password/reset/sent/"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["parent@example.ru"]
    assert message.subject == "Восстановление пароля в электронном журнале"
    link = _reset_link(message)

    form_page = client.get(link, follow=True)
    assert "Задайте новый пароль" in form_page.content.decode()
    set_url = form_page.redirect_chain[-1][0]
    done = client.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done["Location"] == "/accounts/password/reset/complete/"
    world.guardian_user.refresh_from_db()
    assert world.guardian_user.check_password(NEW_PASSWORD)
    # The link works once only.
    assert "Ссылка недействительна" in client.get(link, follow=True).content.decode()


def test_password_reset_for_an_unknown_email_looks_the_same_and_sends_nothing(world, client):
    known = client.post("/accounts/password/reset/", {"email": "parent@example.ru"}, follow=True)
    unknown = client.post("/accounts/password/reset/", {"email": "nobody@example.ru"}, follow=True)
    assert len(mail.outbox) == 1
    assert unknown.redirect_chain == known.redirect_chain
    assert _without_csrf(unknown.content) == _without_csrf(known.content)


def test_user_with_an_issued_password_is_sent_to_change_it_after_sign_in(world, client):
    world.guardian_user.must_change_password = True
    world.guardian_user.save()
    response = client.post("/accounts/login/", {"username": "parent", "password": PASSWORD})
    assert response["Location"] == "/accounts/password/"
    assert "Придумайте собственный пароль" in client.get("/accounts/password/").content.decode()

    client.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    world.guardian_user.refresh_from_db()
    assert world.guardian_user.must_change_password is False
    client.logout()
    assert client.post("/accounts/login/", {"username": "parent", "password": NEW_PASSWORD})["Location"] == "/"


def test_user_without_the_flag_goes_home_after_sign_in(world, client):
    response = client.post("/accounts/login/", {"username": "parent", "password": PASSWORD})
    assert response["Location"] == "/"


def test_password_set_by_e_mail_link_clears_the_issued_password_flag(world, client):
    world.guardian_user.must_change_password = True
    world.guardian_user.save()
    client.post("/accounts/password/reset/", {"email": "parent@example.ru"})
    link = _reset_link(mail.outbox[0])
    set_url = client.get(link, follow=True).redirect_chain[-1][0]
    client.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    world.guardian_user.refresh_from_db()
    assert world.guardian_user.must_change_password is False


SAME_PASSWORD_MESSAGE = "Новый пароль совпадает с нынешним"


def test_issued_password_cannot_be_changed_to_itself(world, login_as):
    world.guardian_user.must_change_password = True
    world.guardian_user.save()
    client = login_as(world.guardian_user)
    response = client.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": PASSWORD, "new_password2": PASSWORD},
    )
    assert response.status_code == 200
    assert SAME_PASSWORD_MESSAGE in response.content.decode()
    world.guardian_user.refresh_from_db()
    assert world.guardian_user.must_change_password is True
    assert not AuditEvent.objects.filter(action="password_change").exists()
    # The school's slip is still a one-time password: every page still sends the user to change it.
    assert client.get("/")["Location"] == "/accounts/password/"


def test_ordinary_password_change_refuses_the_same_password(world, login_as):
    client = login_as(world.teacher)
    old_hash = world.teacher.password
    response = client.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": PASSWORD, "new_password2": PASSWORD},
    )
    assert response.status_code == 200
    assert SAME_PASSWORD_MESSAGE in response.content.decode()
    world.teacher.refresh_from_db()
    assert world.teacher.password == old_hash


def test_password_reset_refuses_the_issued_password(world, client):
    world.guardian_user.must_change_password = True
    world.guardian_user.save()
    client.post("/accounts/password/reset/", {"email": "parent@example.ru"})
    set_url = client.get(_reset_link(mail.outbox[0]), follow=True).redirect_chain[-1][0]
    response = client.post(set_url, {"new_password1": PASSWORD, "new_password2": PASSWORD})
    assert response.status_code == 200
    assert SAME_PASSWORD_MESSAGE in response.content.decode()
    world.guardian_user.refresh_from_db()
    assert world.guardian_user.must_change_password is True
