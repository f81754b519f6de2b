"""Forms of the Regulation pages: the norms (generated from the model's fields), adoption, the coordinator."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.models import fields_for_model
from django.utils.translation import gettext_lazy as _

from ejournal.core.forms import DateField, model_choice_field

from .models import NORM_FIELDS, Regulation


class NormsForm(forms.Form):
    """The norms of a Regulation; the service checks how they relate to each other."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in fields_for_model(Regulation, fields=NORM_FIELDS).items():
            field.required = not isinstance(field, forms.BooleanField)  # a required checkbox could not be «нет»
            self.fields[name] = field


class ExemplaryForm(NormsForm):
    title = forms.CharField(label=_("Название"), max_length=255, required=False)

    field_order = ["title", *NORM_FIELDS]


class AdoptForm(NormsForm):
    order_number = forms.CharField(label=_("Номер приказа"), max_length=64)
    adopted_on = DateField(label=_("Дата утверждения"))

    field_order = ["order_number", "adopted_on", *NORM_FIELDS]


class CoordinatorForm(forms.Form):
    user: forms.ModelChoiceField[Any] = forms.ModelChoiceField(label=_("Сотрудник"), queryset=None)
    order_number = forms.CharField(label=_("Номер приказа"), max_length=64)
    order_date = DateField(label=_("Дата приказа"))
    starts_on = DateField(label=_("Назначен с"), required=False, help_text=_("Если не указано — с даты приказа."))

    def __init__(self, *args, staff, **kwargs):
        super().__init__(*args, **kwargs)
        model_choice_field(self, "user").queryset = staff
        model_choice_field(self, "user", label=lambda u: u.get_full_name())
