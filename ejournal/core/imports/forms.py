"""The upload forms: which kind of list (when an app has several), which file; size and type checked first."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from ejournal.core.forms import choice_field

from .kinds import ImportKinds
from .readers import EXTENSIONS, file_extension, too_big_message


class ImportFileForm(forms.Form):
    """Just the file: for an app with a single kind of import."""

    file = forms.FileField(
        label=_("Файл .xlsx или .csv"),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(EXTENSIONS)}),
        error_messages={"empty": _("Файл пустой."), "required": _("Выберите файл.")},
    )

    def __init__(self, *args, kinds: ImportKinds, **kwargs):
        super().__init__(*args, **kwargs)
        self.kinds = kinds

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.IMPORT_MAX_BYTES:
            raise forms.ValidationError(too_big_message())
        if not file_extension(upload.name):
            raise forms.ValidationError(
                _("Поддерживаются только файлы .xlsx и .csv. Файл .xls сохраните в Excel как .xlsx.")
            )
        return upload

    def chosen_kind(self) -> str:
        return self.cleaned_data.get("kind") or next(iter(self.kinds.importers))


class ImportUploadForm(ImportFileForm):
    """The kind of list, chosen from the app's table, then the file."""

    kind = forms.ChoiceField(label=_("Что загружаем"))
    field_order = ["kind", "file"]

    def __init__(self, *args, kinds: ImportKinds, **kwargs):
        super().__init__(*args, kinds=kinds, **kwargs)
        choice_field(self, "kind").choices = kinds.choices()
