def test_browser_language_does_not_switch_the_interface(client, db):
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "ru"
    assert "Вход в электронный журнал" in response.content.decode()


def test_explicit_choice_switches_to_english_and_back(client, db):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert response.status_code == 302
    assert client.get("/accounts/login/")["Content-Language"] == "en"
    client.post("/i18n/setlang/", {"language": "ru", "next": "/accounts/login/"})
    assert client.get("/accounts/login/")["Content-Language"] == "ru"


def test_unknown_language_cookie_falls_back_to_russian(client, db):
    client.cookies["django_language"] = "xx"
    assert client.get("/accounts/login/")["Content-Language"] == "ru"


def test_weekday_is_lower_case_inside_a_russian_sentence():
    import datetime as dt

    from django.utils import translation

    from ejournal.core.templatetags.ru_format import day_in_sentence

    with translation.override("ru"):
        assert day_in_sentence(dt.date(2026, 11, 18)) == "среда, 18.11.2026"
    with translation.override("en"):
        assert day_in_sentence(dt.date(2026, 11, 18)) == "Wednesday, 18.11.2026"
