"""The planning upload form: the roster upload form with this package's kinds."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ejournal.people.imports.forms import ImportUploadForm

from .importers import IMPORTERS


class PlanUploadForm(ImportUploadForm):
    kind = forms.ChoiceField(
        label=_("Что загружаем"), choices=lambda: [(kind, cls.title) for kind, cls in IMPORTERS.items()]
    )
