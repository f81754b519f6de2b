"""Glue shared by the timetable pages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError


def run(form: forms.Form, call: Callable[[], Any]) -> tuple[bool, Any]:
    """Run a service; a refusal becomes the form's error (and nothing was saved)."""
    try:
        return True, call()
    except ValidationError as exc:
        form.add_error(None, exc)
        return False, None
