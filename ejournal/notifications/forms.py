"""The digest settings form: it parses input; the rules are in services."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django import forms
from django.utils.translation import gettext_lazy as _

from ejournal.core.forms import choice_field

from . import schedule

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

NO_QUIET = ""


def _time_choices(*, blank: StrOrPromise | None = None) -> list[tuple[str, StrOrPromise]]:
    choices: list[tuple[str, StrOrPromise]] = [(f"{t:%H:%M}", f"{t:%H:%M}") for t in schedule.time_choices()]
    return [(NO_QUIET, blank), *choices] if blank is not None else choices


def _parse(value: str) -> dt.time | None:
    return dt.time.fromisoformat(value) if value else None


class DigestSettingsForm(forms.Form):
    enabled = forms.BooleanField(label=_("Присылать ежедневную сводку на e-mail"), required=False)
    marks = forms.BooleanField(label=_("Новые отметки"), required=False)
    absences = forms.BooleanField(label=_("Пропуски уроков"), required=False)
    homework = forms.BooleanField(label=_("Домашние задания"), required=False)
    send_at = forms.TypedChoiceField(
        label=_("Время отправки"), coerce=_parse, help_text=_("Сводка приходит один раз в день, если есть новое.")
    )
    quiet_from = forms.TypedChoiceField(label=_("Не присылать с"), coerce=_parse, required=False, empty_value=None)
    quiet_to = forms.TypedChoiceField(
        label=_("до"),
        coerce=_parse,
        required=False,
        empty_value=None,
        help_text=_("«Тихие часы»: сводка, время которой пришлось на них, придёт, когда они закончатся."),
    )
    email = forms.EmailField(label=_("Адрес e-mail"), required=False, max_length=254)

    def __init__(self, *args, account_email: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        choice_field(self, "send_at").choices = _time_choices()
        choice_field(self, "quiet_from").choices = _time_choices(blank=_("— без тихих часов —"))
        choice_field(self, "quiet_to").choices = _time_choices(blank=_("— без тихих часов —"))
        if account_email:
            self.fields["email"].help_text = _("Если не указать, сводка придёт на адрес учётной записи: %(email)s.") % {
                "email": account_email
            }
        else:
            self.fields["email"].help_text = _("В учётной записи нет адреса e-mail: укажите его здесь.")
