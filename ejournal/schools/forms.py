"""Forms of the year setup: they parse input; the services decide what is allowed."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ejournal.core.forms import DateField

from .models import Holiday, Term


def date_field(label, **kwargs) -> forms.DateField:
    """A date picked in the browser's calendar (or typed as ДД.ММ.ГГГГ)."""
    return DateField(label=label, **kwargs)


def grade_field(label, initial: int) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=1,
        max_value=11,
        initial=initial,
        error_messages={
            "min_value": _("Классы — от 1 до 11."),
            "max_value": _("Классы — от 1 до 11."),
            "invalid": _("Введите номер класса числом."),
        },
    )


class GradeBandForm(forms.Form):
    min_grade = grade_field(_("С класса"), 1)
    max_grade = grade_field(_("По класс"), 11)


class TermForm(GradeBandForm):
    kind = forms.ChoiceField(label=_("Вид периода"), choices=Term.Kind.choices)
    number = forms.IntegerField(label=_("Номер"), min_value=1, max_value=4)
    starts_on = date_field(_("Начало"))
    ends_on = date_field(_("Окончание"))
    field_order = ["kind", "number", "starts_on", "ends_on", "min_grade", "max_grade"]


class HolidayForm(GradeBandForm):
    name = forms.CharField(label=_("Название"), max_length=150)
    kind = forms.ChoiceField(label=_("Вид"), choices=Holiday.Kind.choices)
    starts_on = date_field(_("С"))
    ends_on = date_field(_("По"))
    field_order = ["name", "kind", "starts_on", "ends_on", "min_grade", "max_grade"]
