"""The period to archive: one of the choices the school has now (`selectors.archive_choices`)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ejournal.core.forms import choice_field


class ArchivePeriodForm(forms.Form):
    period = forms.ChoiceField(label=_("Что архивировать"), error_messages={
        "required": _("Выберите учебный год или период."),
        "invalid_choice": _("Этот период нельзя архивировать сейчас: выберите из списка."),
    })  # fmt: skip

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.choices = {c.value: c for c in choices}
        choice_field(self, "period").choices = [(c.value, c.label) for c in choices]

    def chosen(self):
        return self.choices[self.cleaned_data["period"]]
