"""Glue shared by the roster pages: running a service from a form, the generic form page, slips in the session."""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

SLIPS_SESSION_KEY = "people_slips"


def run(form: forms.Form, call: Callable[[], Any]) -> tuple[bool, Any]:
    """Run a service; a refusal becomes the form's error (and nothing was saved)."""
    try:
        return True, call()
    except ValidationError as exc:
        form.add_error(None, exc)
        return False, None


def run_or_message(request: HttpRequest, call: Callable[[], Any], success: str) -> bool:
    """Run a service for a button without a form; report success or the refusal as a message."""
    try:
        call()
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return False
    messages.success(request, success)
    return True


def form_page(
    request: HttpRequest, form: forms.Form, *, title: str, back: str, submit: str, intro: str = "", **extra
) -> HttpResponse:
    """The one template for a titled form with a back link."""
    context = {"form": form, "title": title, "back": back, "submit": submit, "intro": intro, **extra}
    return render(request, "people/form.html", context)


def form_flow(
    request: HttpRequest,
    form: forms.Form,
    call: Callable[[dict], Any],
    *,
    success: str,
    done: Callable[[Any], str],
    **page,
) -> HttpResponse:
    """GET shows the form; a valid POST runs the service and redirects to `done(result)` with a message."""
    if request.method == "POST" and form.is_valid():
        ok, result = run(form, lambda: call(form.cleaned_data))
        if ok:
            messages.success(request, success)
            return redirect(done(result))
    return form_page(request, form, **page)


def class_credentials_target(cls) -> SimpleNamespace:
    """The credential rule speaks of a student: a class's sheet of slips is judged as for a student of it."""
    return SimpleNamespace(school_id=cls.school_id, school_class_id=cls.pk)


def slips_remember(request: HttpRequest, slips: list[dict]) -> None:
    """Keep freshly issued credentials for the slip page, which shows them once and forgets them."""
    request.session[SLIPS_SESSION_KEY] = [*request.session.get(SLIPS_SESSION_KEY, []), *slips]


def slips_take(request: HttpRequest) -> list[dict]:
    return request.session.pop(SLIPS_SESSION_KEY, [])
