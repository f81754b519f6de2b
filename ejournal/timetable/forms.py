"""Forms of the timetable pages: parse and validate input; the services keep the rules."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ejournal.core.forms import DateField, TimeField, choice_field, model_choice_field

from .calendar import MAX_LESSON_NUMBER, WEEKDAYS

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

PARITY_CHOICES = [(0, _("каждую неделю")), (1, _("по нечётным неделям")), (2, _("по чётным неделям"))]


def _assignment_label(a) -> str:
    group = f" — {a.subgroup.name}" if a.subgroup_id else ""
    return f"{a.subject}{group} ({a.teacher.get_short_name()})"


class AssignmentChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return _assignment_label(obj)


class CellForm(forms.Form):
    """One or two lessons of a cell (two: parallel subgroups or alternating weeks); nothing clears it."""

    assignment = AssignmentChoice(label=_("Предмет и учитель"), queryset=None, required=False)
    room: forms.ModelChoiceField[Any] = forms.ModelChoiceField(label=_("Кабинет"), queryset=None, required=False)
    week_parity = forms.TypedChoiceField(label=_("Неделя"), choices=PARITY_CHOICES, coerce=int, initial=0)
    assignment2 = AssignmentChoice(label=_("Второй урок (другая подгруппа)"), queryset=None, required=False)
    room2: forms.ModelChoiceField[Any] = forms.ModelChoiceField(label=_("Кабинет"), queryset=None, required=False)
    week_parity2 = forms.TypedChoiceField(label=_("Неделя"), choices=PARITY_CHOICES, coerce=int, initial=0)
    valid_from = DateField(label=_("Действует с"))
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, assignments, rooms, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("assignment", "assignment2"):
            model_choice_field(self, name).queryset = assignments
        for name in ("room", "room2"):
            model_choice_field(self, name).queryset = rooms

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if data.get("assignment2") and not data.get("assignment"):
            raise forms.ValidationError(_("Сначала выберите первый урок."))
        return data


class CopyDayForm(forms.Form):
    weekday_from = forms.TypedChoiceField(label=_("Скопировать день"), choices=list(WEEKDAYS.items()), coerce=int)
    weekday_to = forms.TypedChoiceField(label=_("в день"), choices=list(WEEKDAYS.items()), coerce=int)
    valid_from = DateField(label=_("Действует с"))
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)


class RoomForm(forms.Form):
    name = forms.CharField(label=_("Кабинет"), max_length=32)
    capacity = forms.IntegerField(label=_("Мест"), required=False, min_value=1, max_value=1000)


class BellScheduleForm(forms.Form):
    """A schedule and its bells: start and end of each lesson number (empty rows are no lesson)."""

    name = forms.CharField(label=_("Название"), max_length=100)
    shift = forms.TypedChoiceField(label=_("Смена"), choices=[(1, "1"), (2, "2")], coerce=int)
    min_grade = forms.IntegerField(label=_("С класса"), min_value=1, max_value=11, initial=1)
    max_grade = forms.IntegerField(label=_("По класс"), min_value=1, max_value=11, initial=11)
    is_shortened = forms.BooleanField(label=_("Сокращённый день"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for n in range(1, MAX_LESSON_NUMBER + 1):
            self.fields[f"start_{n}"] = TimeField(label=_("%(n)s урок, начало") % {"n": n}, required=False)
            self.fields[f"end_{n}"] = TimeField(label=_("окончание"), required=False)

    def bell_rows(self):
        return [(n, self[f"start_{n}"], self[f"end_{n}"]) for n in range(1, MAX_LESSON_NUMBER + 1)]

    def clean(self):
        super().clean()
        data = self.cleaned_data
        bells = {}
        for n in range(1, MAX_LESSON_NUMBER + 1):
            start, end = data.get(f"start_{n}"), data.get(f"end_{n}")
            if bool(start) != bool(end):
                raise forms.ValidationError(_("Урок %(n)s: укажите и начало, и окончание.") % {"n": n})
            if start:
                bells[n] = (start, end)
        data["bells"] = bells
        return data


class GenerateForm(forms.Form):
    period = forms.ChoiceField(label=_("Период"))

    def __init__(self, *args, terms, **kwargs):
        super().__init__(*args, **kwargs)
        choices: list[tuple[str, StrOrPromise]] = [("year", _("Весь учебный год"))]
        choices += [
            (f"term-{t.pk}", f"{t} ({t.min_grade}–{t.max_grade} кл.): {t.starts_on:%d.%m.%Y} – {t.ends_on:%d.%m.%Y}")
            for t in terms
        ]
        choice_field(self, "period").choices = choices


class SubstituteForm(forms.Form):
    substitute: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Заменяющий учитель"), queryset=None, required=False
    )
    note = forms.CharField(label=_("Примечание"), max_length=255, required=False)

    def __init__(self, *args, teachers, **kwargs):
        super().__init__(*args, **kwargs)
        model_choice_field(self, "substitute").queryset = teachers
        model_choice_field(self, "substitute", label=lambda u: u.get_full_name())


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Причина отмены"), max_length=255)


class MoveForm(forms.Form):
    date = DateField(label=_("Новая дата"))
    lesson_number = forms.IntegerField(label=_("Номер урока"))
    room: forms.ModelChoiceField[Any] = forms.ModelChoiceField(label=_("Кабинет"), queryset=None, required=False)
    reason = forms.CharField(label=_("Причина"), max_length=255, required=False)

    def __init__(self, *args, rooms, **kwargs):
        super().__init__(*args, **kwargs)
        model_choice_field(self, "room").queryset = rooms


class ExtraLessonForm(MoveForm):
    assignment = AssignmentChoice(label=_("Предмет и учитель"), queryset=None)
    field_order = ["assignment", "date", "lesson_number", "room", "reason"]

    def __init__(self, *args, assignments, **kwargs):
        super().__init__(*args, **kwargs)
        model_choice_field(self, "assignment").queryset = assignments
