"""Forms of the diary: the date range of the printable extract."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from ejournal.core.forms import DateField

# A school year at most: longer extracts are the year-end archive's job.
MAX_EXTRACT_DAYS = 366


class ExtractForm(forms.Form):
    date_from = DateField(label=_("С"))
    date_to = DateField(label=_("По"))
    output = forms.ChoiceField(
        label=_("Вид"), choices=[("pdf", _("PDF-файл для печати")), ("html", _("Страница для печати"))],
        initial="pdf", required=False, widget=forms.RadioSelect,
    )  # fmt: skip

    def clean(self):
        super().clean()
        data = self.cleaned_data
        first, last = data.get("date_from"), data.get("date_to")
        if first and last:
            if first > last:
                raise forms.ValidationError(_("Дата «с» позже даты «по»."), code="order")
            if (last - first) > dt.timedelta(days=MAX_EXTRACT_DAYS):
                raise forms.ValidationError(
                    _("Выписка строится не больше чем за %(days)s дней."), params={"days": MAX_EXTRACT_DAYS},
                    code="long",
                )  # fmt: skip
        return data
