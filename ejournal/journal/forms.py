"""Forms of the journal's pages: parse and check the shape of the input; the services check the rules."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from ejournal.core.forms import DateField, choice_field, model_choice_field
from ejournal.core.imports.forms import ImportFileForm

from .models import AttendanceCode, PeriodKind, PlannedTopic
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
        super().clean()
        data = self.cleaned_data
        value = (data.get("value") or "").strip().lower() or (data.get("suggested") or "").strip()
        if not value:
            raise ValidationError(_("Введите отметку за период: предложить её пока не из чего."))
        data["value"] = value
        return data


class TopicForm(forms.Form):
    topic = forms.CharField(label=_("Тема урока"), required=False, max_length=500)
    planned_topic: forms.ModelChoiceField[Any] = forms.ModelChoiceField(queryset=PlannedTopic.objects.none(), required=False,
                                           widget=forms.HiddenInput)  # fmt: skip
    is_control_work = forms.BooleanField(label=_("Контрольная работа"), required=False)

    def __init__(self, *args, lesson=None, **kwargs):
        super().__init__(*args, **kwargs)
        if lesson is not None:
            model_choice_field(self, "planned_topic").queryset = PlannedTopic.objects.filter(
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
    due_date = DateField(label=_("К дате"), required=False)
    files = MultipleFileField(label=_("Файлы"), required=False)  # type: ignore[assignment]  # a declared field: the metaclass moves it to base_fields, self.files stays the uploads
    remove = forms.TypedMultipleChoiceField(label=_("Удалить файлы"), required=False, coerce=int,
                                            widget=forms.CheckboxSelectMultiple)  # fmt: skip

    def __init__(self, *args, attachments=(), **kwargs):
        super().__init__(*args, **kwargs)
        choice_field(self, "remove").choices = [(a.pk, a.original_name) for a in attachments]


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Разрешить")), ("reject", _("Отклонить"))])
    note = forms.CharField(label=_("Решение"), required=False, max_length=2000)


class PlanImportForm(forms.Form):
    text = forms.CharField(
        label=_("Темы, по одной в строке: «Тема; часы»"), required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
    )  # fmt: skip
    replace = forms.BooleanField(label=_("Заменить темы, ещё не связанные с уроками"), required=False)

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if not (data.get("text") or "").strip():
            raise ValidationError(_("Вставьте темы: по одной в строке."))
        return data


class PlanFileForm(ImportFileForm):
    """A plan file (.xlsx or .csv with the columns «№», «Тема», «Часы», «Контрольная работа»)."""

    replace = forms.BooleanField(label=_("Заменить темы, ещё не связанные с уроками"), required=False)

    def __init__(self, *args, **kwargs):
        from .imports.kinds import JOURNAL_KINDS

        super().__init__(*args, kinds=JOURNAL_KINDS, auto_id="id_file_%s", **kwargs)


class PlanTopicForm(forms.Form):
    """A topic edited in place in the plan's table."""

    title = forms.CharField(label=_("Тема"), max_length=500)
    hours = forms.IntegerField(label=_("Часов"), min_value=1, max_value=100)
    is_control_work = forms.BooleanField(label=_("Контрольная работа"), required=False)


class ConfirmAllForm(forms.Form):
    include_sparse = forms.BooleanField(label=_("и с недостаточной накопляемостью"), required=False)


class PeriodCorrectionForm(forms.Form):
    """A refused term mark to correct: the student and value (carried from the refusal) and a reason."""

    student = forms.IntegerField(widget=forms.HiddenInput)
    value = forms.CharField(max_length=8, widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Причина исправления"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class WorkTypeForm(forms.Form):
    """The kind of work of a lesson's column (empty: the default)."""

    work_type = forms.TypedChoiceField(label=_("Вид работы для отметок урока"), required=False, coerce=int,
                                       empty_value=None)  # fmt: skip

    def __init__(self, *args, work_types=(), default_label="", **kwargs):
        super().__init__(*args, **kwargs)
        self.work_types = {w.pk: w for w in work_types}
        choice_field(self, "work_type").choices = [
            ("", default_label or _("по умолчанию")),
            *((w.pk, _("%(name)s (вес %(weight)s)") % {"name": w.name, "weight": number_format(w.weight.normalize())})
              for w in work_types),
        ]  # fmt: skip

    def clean_work_type(self):
        pk = self.cleaned_data["work_type"]
        return self.work_types.get(pk) if pk is not None else None


class MoveForm(forms.Form):
    direction = forms.ChoiceField(choices=[("up", "up"), ("down", "down")])


WHOLE_SCHOOL = "all"


class CloseForm(forms.Form):
    """The scope of a term's closing: one class (the first is pre-selected), the whole school only when chosen."""

    school_class = forms.TypedChoiceField(
        label=_("Класс"), coerce=lambda v: None if v == WHOLE_SCHOOL else int(v),
        error_messages={"required": _("Выберите класс из списка.")},
    )  # fmt: skip

    def __init__(self, *args, classes=(), **kwargs):
        super().__init__(*args, **kwargs)
        classes = list(classes)
        field = choice_field(self, "school_class")
        field.choices = [*((c.pk, str(c)) for c in classes), (WHOLE_SCHOOL, _("вся школа (все классы периода)"))]
        field.initial = classes[0].pk if classes else WHOLE_SCHOOL


class ReopenForm(forms.Form):
    reason = forms.CharField(label=_("Причина открытия"), max_length=1000)


class ReasonsForm(forms.Form):
    students = forms.TypedMultipleChoiceField(label=_("Ученики"), coerce=int, widget=forms.CheckboxSelectMultiple)
    date_from = DateField(label=_("С"))
    date_to = DateField(label=_("По"))
    code = forms.ChoiceField(
        label=_("Причина"), choices=[(AttendanceCode.ILL.value, AttendanceCode.ILL.label),
                                     (AttendanceCode.EXCUSED.value, AttendanceCode.EXCUSED.label)],
    )  # fmt: skip
    note = forms.CharField(label=_("Документ (справка, заявление)"), max_length=255)

    def __init__(self, *args, students=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.student_by_pk = {s.pk: s for s in students}
        choice_field(self, "students").choices = [(s.pk, s.full_name) for s in students]

    def clean(self):
        super().clean()
        data = self.cleaned_data
        data["students"] = [self.student_by_pk[pk] for pk in data.get("students") or []]
        return data


YEAR_KIND_CHOICES = [(k, PeriodKind(k).label) for k in (PeriodKind.YEAR, PeriodKind.EXAM, PeriodKind.FINAL)]


class YearMarkForm(forms.Form):
    """One year, exam or final mark of one student, with the version the page showed."""

    student = forms.IntegerField(widget=forms.HiddenInput)
    kind = forms.ChoiceField(choices=YEAR_KIND_CHOICES, widget=forms.HiddenInput)
    value = forms.CharField(label=_("Отметка"), max_length=8, error_messages={"required": _("Выберите отметку.")})
    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)


class YearConfirmAllForm(forms.Form):
    """«Принять предложенные» for year or final marks."""

    kind = forms.ChoiceField(choices=[c for c in YEAR_KIND_CHOICES if c[0] != PeriodKind.EXAM],
                             widget=forms.HiddenInput)  # fmt: skip


class YearCorrectionForm(forms.Form):
    """A refused year, exam or final mark to correct: the student, kind and value (from the refusal) and a reason."""

    student = forms.IntegerField(widget=forms.HiddenInput)
    kind = forms.ChoiceField(choices=YEAR_KIND_CHOICES, widget=forms.HiddenInput)
    value = forms.CharField(max_length=8, widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Причина исправления"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
