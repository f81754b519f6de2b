"""Glue only the roster pages share: credential slips in the session and the form page as they answer it."""

from __future__ import annotations

from functools import partial
from types import SimpleNamespace

from django.http import HttpRequest

from ejournal.core import views

SLIPS_SESSION_KEY = "people_slips"

# The roster pages answer an invalid form with 200, as they always have.
form_page = partial(views.form_page, invalid_status=200)
form_flow = partial(views.form_flow, invalid_status=200)


def class_credentials_target(cls) -> SimpleNamespace:
    """The credential rule speaks of a student: a class's sheet of slips is judged as for a student of it."""
    return SimpleNamespace(school_id=cls.school_id, school_class_id=cls.pk)


def slips_remember(request: HttpRequest, slips: list[dict]) -> None:
    """Keep freshly issued credentials for the slip page, which shows them once and forgets them."""
    request.session[SLIPS_SESSION_KEY] = [*request.session.get(SLIPS_SESSION_KEY, []), *slips]


def slips_take(request: HttpRequest) -> list[dict]:
    return request.session.pop(SLIPS_SESSION_KEY, [])
