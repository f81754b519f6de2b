"""Forms of the journal's pages: parse and check the shape of the input; the services check the rules."""

from __future__ import annotations

import json

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import AttendanceCode, PlannedTopic
from .services import CellEdit

MAX_TEXT = 20


class CellsForm(forms.Form):
    """The cells the page sends: a JSON list of {student, lesson, text, att, marks: "id.v,…", token}."""

    cells = forms.CharField()

    def clean_cells(self) -> list[CellEdit]:
        try:
            raw = json.loads(self.cleaned_data["cells"])
            if not isinstance(raw, list):
                raise TypeError
            return [self._edit(item) for item in raw]
        except (TypeError, ValueError, KeyError, AttributeError):
            raise ValidationError(_("Страница прислала непонятные данные. Обновите страницу.")) from None

    @staticmethod
    def _edit(item: dict) -> CellEdit:
        text = str(item["text"])
        if len(text) > MAX_TEXT:
            raise ValueError
        versions = []
        for part in str(item.get("marks") or "").split(","):
            if part:
                pk, version = part.split(".")
                versions.append((int(pk), int(version)))
        return CellEdit(
            student_id=int(item["student"]), lesson_id=int(item["lesson"]), text=text,
            attendance_version=int(item.get("att") or 0), mark_versions=tuple(versions),
            token=str(item.get("token") or "")[:60],
        )  # fmt: skip


class CorrectionForm(CellsForm):
    reason = forms.CharField(label=_("Причина исправления"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)

    def clean_cells(self) -> list[CellEdit]:
        edits = super().clean_cells()
        if len(edits) != 1:
            raise ValidationError(_("Запрос на исправление подаётся для одной клетки."))
        return edits


class PeriodMarkForm(forms.Form):
    student = forms.IntegerField(widget=forms.HiddenInput)
    value = forms.CharField(required=False, max_length=8)
    suggested = forms.CharField(required=False, max_length=8, widget=forms.HiddenInput)
    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        value = (data.get("value") or "").strip().lower() or (data.get("suggested") or "").strip()
        if not value:
            raise ValidationError(_("Введите отметку за период: предложить её пока не из чего."))
        data["value"] = value
        return data


class TopicForm(forms.Form):
    topic = forms.CharField(label=_("Тема урока"), required=False, max_length=500)
    planned_topic = forms.ModelChoiceField(queryset=PlannedTopic.objects.none(), required=False,
                                           widget=forms.HiddenInput)  # fmt: skip
    is_control_work = forms.BooleanField(label=_("Контрольная работа"), required=False)

    def __init__(self, *args, lesson=None, **kwargs):
        super().__init__(*args, **kwargs)
        if lesson is not None:
            self.fields["planned_topic"].queryset = PlannedTopic.objects.filter(
                plan__assignment_id=lesson.assignment_id
            )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class HomeworkForm(forms.Form):
    text = forms.CharField(label=_("Домашнее задание"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    due_date = forms.DateField(label=_("К дате"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    files = MultipleFileField(label=_("Файлы"), required=False)
    remove = forms.TypedMultipleChoiceField(label=_("Удалить файлы"), required=False, coerce=int,
                                            widget=forms.CheckboxSelectMultiple)  # fmt: skip

    def __init__(self, *args, attachments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["remove"].choices = [(a.pk, a.original_name) for a in attachments]


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Разрешить")), ("reject", _("Отклонить"))])
    note = forms.CharField(label=_("Решение"), required=False, max_length=2000)


class PlanImportForm(forms.Form):
    text = forms.CharField(
        label=_("Темы, по одной в строке: «Тема; часы»"), required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
    )  # fmt: skip
    file = forms.FileField(label=_("или файл CSV/TXT (UTF-8) в том же виде"), required=False)
    replace = forms.BooleanField(label=_("Заменить темы, ещё не связанные с уроками"), required=False)

    def clean(self):
        data = super().clean()
        upload = data.get("file")
        if upload:
            if upload.size > 1024 * 1024:
                raise ValidationError(_("Файл больше 1 МБ."))
            try:
                data["text"] = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError:
                raise ValidationError(_("Файл не в кодировке UTF-8. Сохраните его как «CSV UTF-8».")) from None
        if not (data.get("text") or "").strip():
            raise ValidationError(_("Вставьте темы или выберите файл."))
        return data


class MoveForm(forms.Form):
    direction = forms.ChoiceField(choices=[("up", "up"), ("down", "down")])


class CloseForm(forms.Form):
    school_class = forms.TypedChoiceField(label=_("Класс"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, classes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school_class"].choices = [("", _("вся школа")), *((c.pk, str(c)) for c in classes)]


class ReopenForm(forms.Form):
    reason = forms.CharField(label=_("Причина открытия"), max_length=1000)


class ReasonsForm(forms.Form):
    students = forms.TypedMultipleChoiceField(label=_("Ученики"), coerce=int, widget=forms.CheckboxSelectMultiple)
    date_from = forms.DateField(label=_("С"), widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("По"), widget=forms.DateInput(attrs={"type": "date"}))
    code = forms.ChoiceField(
        label=_("Причина"), choices=[(AttendanceCode.ILL.value, AttendanceCode.ILL.label),
                                     (AttendanceCode.EXCUSED.value, AttendanceCode.EXCUSED.label)],
    )  # fmt: skip
    note = forms.CharField(label=_("Документ (справка, заявление)"), max_length=255)

    def __init__(self, *args, students=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.students = {s.pk: s for s in students}
        self.fields["students"].choices = [(s.pk, s.full_name) for s in students]

    def clean(self):
        data = super().clean()
        data["students"] = [self.students[pk] for pk in data.get("students") or []]
        return data
