"""Forms of subjects, the curriculum, the study week and assignments: parsing only."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ejournal.core.forms import model_choice_field
from ejournal.schools.forms import date_field

HOURS_ERRORS = {
    "invalid": _("Часы — число с шагом 0,5, например 2 или 1,5."),
    "max_digits": _("Слишком большое число часов."),
    "max_decimal_places": _("Часы указываются с шагом 0,5."),
    "max_whole_digits": _("Слишком большое число часов."),
}


def hours_field(label, *, required: bool = True) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=required,
        max_digits=4,
        decimal_places=1,
        localize=True,
        min_value=Decimal("0"),
        error_messages={**HOURS_ERRORS, "min_value": _("Часы не могут быть отрицательными.")},
        widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 4}),
    )


class SubjectForm(forms.Form):
    name = forms.CharField(label=_("Название"), max_length=150)
    short_name = forms.CharField(label=_("Сокращение"), max_length=32, required=False)


class GradeCurriculumForm(forms.Form):
    """Hours, the subgroup and the exam flags for every subject offered to one grade (fields h_, s_, e_<id>)."""

    def __init__(self, *args, subject_lines, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = []
        for subject, line in subject_lines:
            hours = hours_field(subject.name, required=False)
            hours.initial = line.hours_per_week if line else None
            split = forms.BooleanField(
                label=_("по подгруппам"), required=False, initial=bool(line and line.in_subgroups)
            )
            exam = forms.BooleanField(label=_("экзамен"), required=False, initial=bool(line and line.has_exam))
            self.fields[f"h_{subject.pk}"], self.fields[f"s_{subject.pk}"] = hours, split
            self.fields[f"e_{subject.pk}"] = exam
            self.rows.append((subject, self[f"h_{subject.pk}"], self[f"s_{subject.pk}"], self[f"e_{subject.pk}"]))

    def lines(self) -> dict[int, tuple[Decimal | None, bool, bool]]:
        data = self.cleaned_data
        return {
            subject.pk: (data[f"h_{subject.pk}"], data[f"s_{subject.pk}"], data[f"e_{subject.pk}"])
            for subject, *_fields in self.rows
        }


class StudyWeekForm(forms.Form):
    """Five or six days per grade (field g_<grade>)."""

    def __init__(self, *args, days_by_grade: dict[int, int], **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(5, _("5 дней")), (6, _("6 дней"))]
        for grade, days in days_by_grade.items():
            label = _("%(grade)s класс") % {"grade": grade}
            self.fields[f"g_{grade}"] = forms.TypedChoiceField(label=label, choices=choices, coerce=int, initial=days)

    def days_by_grade(self) -> dict[int, int]:
        return {int(name[2:]): value for name, value in self.cleaned_data.items()}


class AssignmentForm(forms.Form):
    teacher: forms.ModelChoiceField[Any] = forms.ModelChoiceField(label=_("Учитель"), queryset=None)
    school_class: forms.ModelChoiceField[Any] = forms.ModelChoiceField(label=_("Класс"), queryset=None)
    subgroup: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Подгруппа"), queryset=None, required=False, empty_label=_("весь класс")
    )
    subject: forms.ModelChoiceField[Any] = forms.ModelChoiceField(label=_("Предмет"), queryset=None)
    hours_per_week = hours_field(_("Часов в неделю"))
    starts_on = date_field(_("С даты"))

    def __init__(self, *args, teachers, classes, subgroups, subjects, **kwargs):
        super().__init__(*args, **kwargs)
        model_choice_field(self, "teacher").queryset = teachers
        model_choice_field(self, "teacher", label=lambda u: u.get_full_name())
        model_choice_field(self, "school_class").queryset = classes
        model_choice_field(self, "subgroup").queryset = subgroups
        model_choice_field(self, "subject").queryset = subjects


class ReassignForm(forms.Form):
    new_teacher: forms.ModelChoiceField[Any] = forms.ModelChoiceField(label=_("Новый учитель"), queryset=None)
    from_date = date_field(_("Ведёт уроки с"))

    def __init__(self, *args, teachers, **kwargs):
        super().__init__(*args, **kwargs)
        model_choice_field(self, "new_teacher").queryset = teachers
        model_choice_field(self, "new_teacher", label=lambda u: u.get_full_name())


class AssignmentEndForm(forms.Form):
    ends_on = date_field(_("Последний день уроков"))
