from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ejournal.core.forms import DateField, choice_field, model_choice_field

from .models import Stage
from .report_fields import FIELDS


class ComplexForm(forms.Form):
    name = forms.CharField(label=_("Название"), max_length=200)
    vendor = forms.CharField(label=_("Разработчик"), max_length=200, required=False)
    is_this_system = forms.BooleanField(label=_("Это данная система"), required=False)


class RolloutForm(forms.Form):
    complex: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Программный комплекс"), queryset=None, required=False
    )
    school_responsible = forms.CharField(label=_("Ответственный в школе"), max_length=200, required=False)
    district_responsible = forms.CharField(label=_("Ответственный в округе"), max_length=200, required=False)
    comment = forms.CharField(
        label=_("Комментарий"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, complexes, facts=None, **kwargs):
        super().__init__(*args, **kwargs)
        model_choice_field(self, "complex").queryset = complexes
        facts = facts or {}
        for key, label in Stage.choices:
            self.fields[f"{key}_planned"] = DateField(label=_("%(stage)s: план") % {"stage": label}, required=False)
            self.fields[f"{key}_actual"] = DateField(label=_("%(stage)s: факт") % {"stage": label}, required=False)
            # A fact the system knows, offered while the stage has no actual date: unticked, nothing is taken.
            if key in facts and not self.initial.get(f"{key}_actual"):
                fact = facts[key]
                self.fields[f"{key}_confirm"] = forms.BooleanField(
                    label=_("Подтвердить по данным системы: %(date)s — %(evidence)s")
                    % {"date": fact.on.strftime("%d.%m.%Y"), "evidence": fact.evidence},
                    required=False,
                )

    def stages(self) -> dict:
        data = self.cleaned_data
        return {key: (data.get(f"{key}_planned"), data.get(f"{key}_actual")) for key in Stage.values}

    def confirmed(self) -> tuple[str, ...]:
        """The stages whose date from the system's data the person confirmed."""
        return tuple(key for key in Stage.values if self.cleaned_data.get(f"{key}_confirm"))


class OpenReportForm(forms.Form):
    year = forms.IntegerField(label=_("Год"), min_value=2000, max_value=2100)
    month = forms.TypedChoiceField(label=_("Месяц"), coerce=int, choices=[])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from django.utils.dates import MONTHS

        choice_field(self, "month").choices = list(MONTHS.items())


def _field(f):
    if f.kind == "int":
        return forms.IntegerField(label=f.label, min_value=0, required=False)
    if f.kind == "pct":
        return forms.DecimalField(label=f.label, min_value=0, max_value=100, decimal_places=1, required=False)
    if f.kind == "decimal":
        return forms.DecimalField(label=f.label, min_value=0, decimal_places=1, required=False)
    if f.kind == "date":
        return DateField(label=f.label, required=False)
    if f.kind == "stage":
        return forms.ChoiceField(label=f.label, choices=[("", "—"), *Stage.choices], required=False)
    if f.kind == "url":
        return forms.URLField(label=f.label, required=False, assume_scheme="https")
    return forms.CharField(label=f.label, max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ReportRowForm(forms.Form):
    """The row of a school on another vendor's system, by hand."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for f in FIELDS:
            self.fields[f.key] = _field(f)


class ProblemsForm(forms.Form):
    problems = forms.CharField(
        label=_("Проблемы и обращения в поддержку"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class ReturnForm(forms.Form):
    comment = forms.CharField(label=_("Что нужно исправить"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Файл .xlsx или .csv"), error_messages={"required": _("Выберите файл."), "empty": _("Файл пустой.")}
    )

    def clean_file(self):
        from django.conf import settings

        from ejournal.core.imports.readers import file_extension, too_big_message

        upload = self.cleaned_data["file"]
        if upload.size > settings.IMPORT_MAX_BYTES:
            raise forms.ValidationError(too_big_message())
        if not file_extension(upload.name):
            raise forms.ValidationError(
                _("Поддерживаются только файлы .xlsx и .csv. Файл .xls сохраните в Excel как .xlsx.")
            )
        return upload
