"""Glue shared by the planning pages (year setup here, curriculum and assignments in curriculum)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render


def form_flow(
    request: HttpRequest,
    form: forms.Form,
    call: Callable[[dict], Any],
    *,
    success: str,
    done: str,
    template: str = "schools/form.html",
    **page,
) -> HttpResponse:
    """GET shows the form; a valid POST runs the service and redirects to `done`; a refusal stays on the form."""
    if request.method == "POST" and form.is_valid():
        try:
            call(form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, success)
            return redirect(done)
    context = {"form": form, "back": done, **page}
    return render(request, template, context, status=400 if form.errors else 200)


def button_flow(request: HttpRequest, call: Callable[[], Any], *, success: str, done: str) -> HttpResponse:
    """A POST button without a form: run the service, report success or the refusal, go back."""
    try:
        call()
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, success)
    return redirect(done)
