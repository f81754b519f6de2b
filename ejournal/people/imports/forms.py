"""The upload form: which kind of list, which file; size and type checked before anything is parsed."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .kinds import kind_choices
from .readers import EXTENSIONS, file_extension, too_big_message


class ImportUploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("Что загружаем"), choices=kind_choices)
    file = forms.FileField(
        label=_("Файл .xlsx или .csv"),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(EXTENSIONS)}),
        error_messages={"empty": _("Файл пустой."), "required": _("Выберите файл.")},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.IMPORT_MAX_BYTES:
            raise forms.ValidationError(too_big_message())
        if not file_extension(upload.name):
            raise forms.ValidationError(
                _("Поддерживаются только файлы .xlsx и .csv. Файл .xls сохраните в Excel как .xlsx.")
            )
        return upload
