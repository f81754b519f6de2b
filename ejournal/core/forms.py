"""The one set of date and time inputs of every form: HTML5 controls carrying the ISO values browsers read.

An `<input type="date">` reads and sends only `YYYY-MM-DD` whatever the page's
language; given `15.12.2026` (Django's Russian format) it shows an empty field,
and a form saved from it silently loses the date. So every date, time and
date-time field of the project uses the widgets below (the format is fixed,
never localized) and accepts the ISO format first; the Russian `ДД.ММ.ГГГГ`
is still accepted for a date typed by hand or sent by a script.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

DATE_FORMAT = "%Y-%m-%d"
TIME_FORMAT = "%H:%M"
DATETIME_FORMAT = "%Y-%m-%dT%H:%M"
DATE_INPUT_FORMATS = [DATE_FORMAT, "%d.%m.%Y"]
TIME_INPUT_FORMATS = [TIME_FORMAT, "%H:%M:%S"]
DATETIME_INPUT_FORMATS = [DATETIME_FORMAT, "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M"]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format=DATE_FORMAT)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs, format=TIME_FORMAT)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format=DATETIME_FORMAT)


class DateField(forms.DateField):
    """A date picked in the browser's calendar (or typed as ДД.ММ.ГГГГ)."""

    widget = DateInput
    input_formats = DATE_INPUT_FORMATS
    default_error_messages = {"invalid": _("Введите дату в виде ДД.ММ.ГГГГ.")}


class TimeField(forms.TimeField):
    widget = TimeInput
    input_formats = TIME_INPUT_FORMATS
    default_error_messages = {"invalid": _("Введите время в виде ЧЧ:ММ, например 08:30.")}


class DateTimeField(forms.DateTimeField):
    widget = DateTimeInput
    input_formats = DATETIME_INPUT_FORMATS
    default_error_messages = {"invalid": _("Введите дату и время в виде ДД.ММ.ГГГГ ЧЧ:ММ.")}


def choice_field(form: forms.BaseForm, name: str) -> forms.ChoiceField:
    """`form.fields[name]` as the choice field it is, so its `choices` can be set per request."""
    field = form.fields[name]
    if not isinstance(field, forms.ChoiceField):
        raise TypeError(f"{name!r} is not a choice field")
    return field


def model_choice_field(
    form: forms.BaseForm, name: str, *, label: Callable[[Any], str] | None = None
) -> forms.ModelChoiceField[Any]:
    """`form.fields[name]` as the model choice field it is (multiple too), to set its queryset; `label` names
    each choice (Django's per-instance `label_from_instance` hook)."""
    field = form.fields[name]
    if not isinstance(field, forms.ModelChoiceField):
        raise TypeError(f"{name!r} is not a model choice field")
    if label is not None:
        field.label_from_instance = label  # type: ignore[method-assign,assignment]  # Django's documented per-field hook
    return field
