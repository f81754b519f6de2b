"""The period of the filling control: a month (the default) or dates from–to."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ejournal.core.forms import DateField

from .common import month_bounds

MAX_DAYS = 366


class PeriodForm(forms.Form):
    month = forms.RegexField(
        label=_("Месяц"), regex=r"^\d{4}-(0[1-9]|1[0-2])$", required=False,
        widget=forms.TextInput(attrs={"type": "month"}),
        error_messages={"invalid": _("Месяц — в виде ГГГГ-ММ, например 2026-09.")},
    )  # fmt: skip
    date_from = DateField(label=_("С"), required=False)
    date_to = DateField(label=_("По"), required=False)

    def clean(self):
        super().clean()
        data = self.cleaned_data
        start, end = data.get("date_from"), data.get("date_to")
        if bool(start) != bool(end):
            raise forms.ValidationError(_("Укажите обе даты периода или выберите месяц."))
        if start and end:
            if start > end:
                raise forms.ValidationError(_("Начало периода позже его конца."))
            if (end - start).days >= MAX_DAYS:
                raise forms.ValidationError(_("Период не длиннее года."))
        return data

    def period(self) -> tuple[dt.date, dt.date]:
        """The chosen period; the current month when nothing (valid) was chosen."""
        data = self.cleaned_data if self.is_valid() else {}
        if data.get("date_from"):
            return data["date_from"], data["date_to"]
        if data.get("month"):
            year, month = (int(x) for x in data["month"].split("-"))
            return month_bounds(year, month)
        today = timezone.localdate()
        return month_bounds(today.year, today.month)
