"""View glue every app's pages share: run a service from a form or a button, the generic form page."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views import defaults

from .outage import is_outage, outage_response

FORM_TEMPLATE = "core/form.html"


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
    request: HttpRequest,
    form: forms.Form,
    *,
    title: str,
    back: str,
    submit: str,
    intro: str = "",
    template: str = FORM_TEMPLATE,
    invalid_status: int = 400,
    **extra,
) -> HttpResponse:
    """A titled form with a back link (optionally `delete_url`, `delete_note`, `delete_label`).

    An invalid form answers `invalid_status` (the roster pages keep 200).
    """
    context = {"form": form, "title": title, "back": back, "submit": submit, "intro": intro, **extra}
    return render(request, template, context, status=invalid_status if form.errors else 200)


def form_flow(
    request: HttpRequest,
    form: forms.Form,
    call: Callable[[dict], Any],
    *,
    success: object,  # the message; its text is read once the service ran
    done: str | Callable[[Any], str],
    back: str | None = None,
    **page,
) -> HttpResponse:
    """GET shows the form; a valid POST runs the service and redirects to `done` with a message.

    `done` is a URL, or a function of the service's result giving one; `back` defaults to a `done` URL.
    A refusal stays on the form as its error.
    """
    if request.method == "POST" and form.is_valid():
        ok, result = run(form, lambda: call(form.cleaned_data))
        if ok:
            messages.success(request, success if isinstance(success, str) else str(success))
            return redirect(done(result) if callable(done) else done)
    return form_page(request, form, back=back or str(done), **page)


def button_flow(request: HttpRequest, call: Callable[[], Any], *, success: str, done: str) -> HttpResponse:
    """A POST button without a form: run the service, report success or the refusal, go back."""
    run_or_message(request, call, success)
    return redirect(done)


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 handler: a 503 when the error is the database away (before the view: session, user, actor)."""
    error = sys.exc_info()[1]
    if error is not None and is_outage(error):
        return outage_response(request, error)
    return defaults.server_error(request)


# --- asking first ---------------------------------------------------------------------------------

CONFIRM_FIELD = "confirmed"
CONFIRM_TEMPLATE = "core/confirm.html"


def confirmed(request: HttpRequest) -> bool:
    """True when the POST carries the answer to the question page (`confirmed=yes`)."""
    return request.method == "POST" and request.POST.get(CONFIRM_FIELD) == "yes"


def question_page(
    request: HttpRequest,
    *,
    title: str,
    lines: list[str],
    confirm: str,
    cancel: str,
    action: str = "",
    warning: str = "",
) -> HttpResponse:
    """Ask before an action on many people (or one that cannot be undone): what it will do and to how many.

    The POST's own fields are carried over as hidden inputs with `confirmed=yes`,
    so the answer repeats the same request; «Отмена» (a link back to `cancel`)
    is focused, so Enter or a stray click does nothing. Nothing is written here:
    a view that needs the question calls it whenever `confirmed(request)` is false.
    """
    carried = [
        (name, value)
        for name, values in request.POST.lists()
        if name not in ("csrfmiddlewaretoken", CONFIRM_FIELD)
        for value in values
    ]
    context = {
        "title": title, "lines": lines, "confirm": confirm, "cancel": cancel, "warning": warning,
        "action": action or request.get_full_path(), "carried": carried, "confirm_field": CONFIRM_FIELD,
    }  # fmt: skip
    return render(request, CONFIRM_TEMPLATE, context)
