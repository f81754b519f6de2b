"""The monitoring's query parameters: indicator, month and how many months back; bad input gets Russian messages."""

from __future__ import annotations

from django import forms
from django.utils.dates import MONTHS
from django.utils.translation import gettext_lazy as _

from .indicators import DEFAULT_INDICATOR, INDICATORS, monitoring_setting


class PeriodForm(forms.Form):
    indicator = forms.ChoiceField(
        label=_("Показатель"),
        choices=[(i.key, i.label) for i in INDICATORS],
        error_messages={"invalid_choice": _("Такого показателя нет; выберите из списка.")},
    )
    month = forms.TypedChoiceField(
        label=_("Месяц"),
        coerce=int,
        choices=list(MONTHS.items()),
        error_messages={"invalid_choice": _("Месяц — число от 1 до 12.")},
    )
    year = forms.IntegerField(
        label=_("Год"),
        min_value=2000,
        max_value=2100,
        error_messages={
            "invalid": _("Год — целое число."),
            "min_value": _("Год не раньше 2000."),
            "max_value": _("Год не позже 2100."),
        },
    )
    span = forms.IntegerField(
        label=_("Месяцев на графике"),
        min_value=2,
        error_messages={"invalid": _("Число месяцев — целое число."), "min_value": _("Не меньше 2 месяцев.")},
    )

    def __init__(self, data, *, today, **kwargs):
        defaults = {
            "indicator": DEFAULT_INDICATOR,
            "month": today.month,
            "year": today.year,
            "span": monitoring_setting("months_default"),
        }
        merged = {**defaults, **{k: v for k, v in data.items() if k in defaults and v != ""}}
        super().__init__(merged, **kwargs)
        self.defaults = defaults

    def clean_span(self) -> int:
        span = self.cleaned_data["span"]
        top = int(monitoring_setting("months_max"))
        if span > top:
            raise forms.ValidationError(_("Не больше %(max)s месяцев."), params={"max": top})
        return span

    def period(self) -> dict:
        """The cleaned parameters, each bad one replaced by its default."""
        return {name: self.cleaned_data.get(name, default) for name, default in self.defaults.items()}
