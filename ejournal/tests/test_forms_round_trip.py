"""Every form of the project, shown with saved values and posted back unchanged by a browser, changes nothing.

The forms are found, not listed: every `forms` module under `ejournal` is
imported and every `BaseForm` subclass defined in the project is checked. A
form is rendered with initial values (dates and times included), its HTML is
read as a browser reads it (`formdata`: a date input given `10.12.2026` shows
and posts nothing), the values are posted back, and the cleaned data must equal
the initial values. The form re-rendered from that post must show the same
values again (a page shown again after an error). Forms that need constructor
arguments or particular values are built by `form_cases.CASES`; a form that is
neither buildable here nor listed there fails, so none is skipped silently.
"""

from __future__ import annotations

import datetime as dt
import importlib
import pkgutil
from decimal import Decimal
from typing import Any

import pytest
from django import forms
from django.core.validators import MaxLengthValidator, MinLengthValidator, ProhibitNullCharactersValidator
from django.db.models import Model, QuerySet
from django.http import QueryDict
from django.utils import timezone
from django.utils.datastructures import MultiValueDict

import ejournal
from ejournal.core import forms as core_forms

from .form_cases import CASES, Case
from .formdata import forms_in

SAMPLE_DATE = dt.date(2026, 12, 10)
SAMPLE_TIME = dt.time(8, 30)
PLAIN_VALIDATORS = (MaxLengthValidator, MinLengthValidator, ProhibitNullCharactersValidator)
SHARED_INPUTS = {
    forms.DateField: (core_forms.DateField, core_forms.DateInput),
    forms.TimeField: (core_forms.TimeField, core_forms.TimeInput),
    forms.DateTimeField: (core_forms.DateTimeField, core_forms.DateTimeInput),
}


class NotCoverable(Exception):
    pass


def project_forms() -> list[type[forms.BaseForm]]:
    """Every form class defined in the project (tests excluded), after importing every `forms` module."""
    for module in pkgutil.walk_packages(ejournal.__path__, "ejournal."):
        parts = module.name.split(".")
        if parts[-1] == "forms" and "tests" not in parts:
            importlib.import_module(module.name)
    found, stack = set(), [forms.BaseForm]
    while stack:
        for sub in stack.pop().__subclasses__():
            stack.append(sub)
            if sub.__module__.startswith("ejournal.") and ".tests" not in sub.__module__:
                found.add(sub)
    return sorted(found, key=lambda c: f"{c.__module__}.{c.__qualname__}")


def _choice_keys(field) -> list:
    keys = []
    for key, label in field.choices:
        if isinstance(label, list | tuple):  # an optgroup
            keys += [k for k, _label in label]
        else:
            keys.append(key)
    return [k for k in keys if k not in ("", None)]


def sample(field: forms.Field) -> tuple[object, object]:
    """A value to show in the field and the value the form must clean it to; NotCoverable when none can be made."""
    if isinstance(field, forms.BooleanField):
        return True, True
    if isinstance(field, forms.ModelMultipleChoiceField | forms.ModelChoiceField):
        objects = list(field.queryset[:2]) if field.queryset is not None else []
        if not objects:
            raise NotCoverable("a model choice without a queryset or rows")
        return (objects, objects) if isinstance(field, forms.ModelMultipleChoiceField) else (objects[-1], objects[-1])
    if isinstance(field, forms.MultipleChoiceField):
        keys = _choice_keys(field)[:2]
        coerce = getattr(field, "coerce", str)
        return keys, [coerce(str(k)) for k in keys]
    if isinstance(field, forms.ChoiceField):
        keys = _choice_keys(field)
        if not keys:
            raise NotCoverable("a choice without choices")
        return keys[-1], getattr(field, "coerce", str)(str(keys[-1]))
    if isinstance(field, forms.DateTimeField):
        value = timezone.make_aware(dt.datetime.combine(SAMPLE_DATE, SAMPLE_TIME))
        return value, value
    if isinstance(field, forms.DateField):
        return SAMPLE_DATE, SAMPLE_DATE
    if isinstance(field, forms.TimeField):
        return SAMPLE_TIME, SAMPLE_TIME
    if isinstance(field, forms.DecimalField | forms.FloatField | forms.IntegerField):
        return _number(field)
    if isinstance(field, forms.EmailField):
        return "orlova@example.ru", "orlova@example.ru"
    if isinstance(field, forms.URLField):
        return "https://example.ru/journal", "https://example.ru/journal"
    if type(field) is forms.CharField and all(isinstance(v, PLAIN_VALIDATORS) for v in field.validators):
        text = "Текст"[: field.max_length or None]
        return text, text
    raise NotCoverable(f"no generated value for {type(field).__name__} with its validators")


def _number(field) -> tuple[object, object]:
    value: Decimal | float | int
    if isinstance(field, forms.DecimalField):
        value = Decimal("1.5") if (field.decimal_places is None or field.decimal_places > 0) else Decimal(2)
    elif isinstance(field, forms.FloatField):
        value = 1.5
    else:
        value = 3
    if field.min_value is not None and value < field.min_value:
        value = field.min_value
    if field.max_value is not None and value > field.max_value:
        value = field.max_value
    return value, value


def comparable(value):
    if isinstance(value, QuerySet):
        return list(value)
    if isinstance(value, list | tuple) and value and isinstance(value[0], Model):
        return list(value)
    return value


def _cases(form_class, world) -> list[Case]:
    if form_class in CASES:
        made = CASES[form_class](world)
        return made if isinstance(made, list) else [made]
    try:
        form_class()
    except TypeError as exc:
        pytest.fail(f"{form_class.__qualname__} needs constructor arguments ({exc}): add it to form_cases.CASES")
    return [Case()]


def _initial(form: forms.BaseForm, case: Case) -> tuple[dict, dict]:
    """The case's values, the generated ones for the other fields (files are picked again, never shown)."""
    initial, expected = dict(case.initial), {}
    for name, field in form.fields.items():
        if isinstance(field, forms.FileField) or name in case.typed:
            continue
        if name in initial:
            expected[name] = initial[name]
            continue
        try:
            initial[name], expected[name] = sample(field)
        except NotCoverable as exc:
            pytest.fail(f"{type(form).__qualname__}.{name}: {exc}; give its value in form_cases.CASES")
    return initial, {**expected, **case.expected}


def _posted(form: forms.BaseForm, typed: dict) -> tuple[list[tuple[str, str]], QueryDict, MultiValueDict]:
    (page,) = forms_in(form.render())
    data, files = QueryDict(mutable=True), MultiValueDict[str, Any]()
    for name, value in page.values:
        data.appendlist(name, value)
    for name, value in typed.items():
        (files if hasattr(value, "read") else data)[name] = value
    return page.values, data, files


def _shared_inputs_check(form: forms.BaseForm) -> None:
    for name, field in form.fields.items():
        for base, (shared_field, shared_widget) in SHARED_INPUTS.items():
            if isinstance(field, base):
                assert isinstance(field, shared_field) and isinstance(field.widget, shared_widget), (
                    f"{type(form).__qualname__}.{name}: use ejournal.core.forms.{shared_field.__name__}"
                )


@pytest.mark.parametrize("form_class", project_forms(), ids=lambda c: f"{c.__module__[9:]}.{c.__qualname__}")
def test_a_form_posted_back_unchanged_cleans_to_the_values_it_showed(form_class, world):
    for case in _cases(form_class, world):
        if case.data is not None:
            shown = form_class(data=case.data, **case.kwargs)
            expected = case.expected
        else:
            shown = form_class(**case.kwargs)
            initial, expected = _initial(shown, case)
            shown = form_class(initial=initial, **case.kwargs)
        values, data, files = _posted(shown, case.typed)
        posted = form_class(data=data, files=files, **case.kwargs)
        assert posted.is_valid(), f"{form_class.__qualname__} refused its own values {values}: {posted.errors}"
        for name, value in expected.items():
            assert comparable(posted.cleaned_data[name]) == comparable(value), (
                f"{form_class.__qualname__}.{name}: showed {value!r}, the browser sent "
                f"{data.getlist(name)!r}, the form read {posted.cleaned_data[name]!r}"
            )
        again, _data, _files = _posted(posted, {})
        assert again == values, f"{form_class.__qualname__} shown again after a post changes its values"
        _shared_inputs_check(shown)


def test_the_shared_date_input_is_what_a_browser_reads():
    field = core_forms.DateField()
    html = field.widget.render("d", SAMPLE_DATE)
    assert 'type="date"' in html and 'value="2026-12-10"' in html
    assert field.clean("2026-12-10") == field.clean("10.12.2026") == SAMPLE_DATE
    assert 'type="time"' in core_forms.TimeField().widget.render("t", SAMPLE_TIME)
    assert 'value="08:30"' in core_forms.TimeField().widget.render("t", SAMPLE_TIME)
    moment = dt.datetime.combine(SAMPLE_DATE, SAMPLE_TIME)
    assert 'value="2026-12-10T08:30"' in core_forms.DateTimeField().widget.render("m", moment)


def test_a_new_form_without_a_way_to_build_it_fails_the_round_trip(world):
    class NeedsArguments(forms.Form):
        day = core_forms.DateField()

        def __init__(self, *args, school, **kwargs):
            super().__init__(*args, **kwargs)

    with pytest.raises(pytest.fail.Exception, match=r"add it to form_cases\.CASES"):
        _cases(NeedsArguments, world)

    class OddField(forms.Form):
        code = forms.RegexField(regex=r"^\d{3}$")

    with pytest.raises(pytest.fail.Exception, match=r"give its value in form_cases\.CASES"):
        _initial(OddField(), Case())
