"""Forms of the school roster pages: they parse input; the rules are in services."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.core.validators import RegexValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ejournal.access.roles import Role
from ejournal.core.forms import DateField, choice_field, model_choice_field

from .models import Gender, GuardianLink

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

phone_validator = RegexValidator(
    r"^\+?[\d\s()\-]{5,20}$", _("Телефон — цифры, пробелы, скобки и дефисы, например +7 (918) 123-45-67.")
)


def date_field(
    label, *, required: bool = True, initial_today: bool = False, help_text: StrOrPromise = ""
) -> forms.DateField:
    return DateField(
        label=label, required=required, initial=timezone.localdate if initial_today else None, help_text=help_text
    )


def order_field() -> forms.CharField:
    return forms.CharField(label=_("Номер приказа"), max_length=64, required=False)


class ClassForm(forms.Form):
    grade = forms.IntegerField(label=_("Параллель"), min_value=1, max_value=11)
    letter = forms.CharField(label=_("Литера"), max_length=8, help_text=_("Например, А"))
    class_teacher: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Классный руководитель"), queryset=None, required=False, empty_label=_("— не назначен —")
    )
    shift = forms.TypedChoiceField(label=_("Смена"), choices=[(1, _("первая")), (2, _("вторая"))], coerce=int)

    def __init__(self, *args, teachers, **kwargs):
        super().__init__(*args, **kwargs)
        model_choice_field(self, "class_teacher").queryset = teachers
        model_choice_field(self, "class_teacher", label=lambda u: u.get_full_name() or u.username)


class SubgroupForm(forms.Form):
    name = forms.CharField(
        label=_("Название подгруппы"), max_length=100, help_text=_("Например, Английский язык, 1 группа")
    )


class SubgroupMembersForm(forms.Form):
    students = forms.TypedMultipleChoiceField(
        label=_("Состав"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    on_date = date_field(_("С какого числа"), initial_today=True)

    def __init__(self, *args, enrolments, **kwargs):
        super().__init__(*args, **kwargs)
        choice_field(self, "students").choices = [(e.student_id, e.student.full_name) for e in enrolments]


class StudentForm(forms.Form):
    last_name = forms.CharField(label=_("Фамилия"), max_length=150)
    first_name = forms.CharField(label=_("Имя"), max_length=150)
    middle_name = forms.CharField(label=_("Отчество"), max_length=150, required=False)
    birth_date = date_field(_("Дата рождения"), required=False)
    gender = forms.ChoiceField(label=_("Пол"), choices=[("", "—"), *Gender.choices], required=False)
    record_number = forms.CharField(label=_("Номер личного дела"), max_length=32, required=False)


class MoveForm(forms.Form):
    """Into a class of the school from a date: creation, transfer, admission."""

    school_class: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Класс"), queryset=None, empty_label=None
    )
    on_date = date_field(_("С какого числа"), initial_today=True)
    order_number = order_field()

    def __init__(self, *args, classes, **kwargs):
        super().__init__(*args, **kwargs)
        model_choice_field(self, "school_class").queryset = classes


class StudentCreateForm(StudentForm, MoveForm):
    pass


class SchoolTransferForm(forms.Form):
    to_school: forms.ModelChoiceField[Any] = forms.ModelChoiceField(label=_("В школу"), queryset=None)
    on_date = date_field(_("Дата перевода"), initial_today=True, help_text=_("Первый день обучения в новой школе."))
    order_number = order_field()
    reason = forms.CharField(label=_("Основание"), max_length=255, required=False)

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        model_choice_field(self, "to_school").queryset = schools


class DepartureForm(forms.Form):
    on_date = date_field(
        _("Дата выбытия"), initial_today=True, help_text=_("С этого дня ребёнок уже не обучается в школе.")
    )
    reason = forms.CharField(label=_("Причина выбытия"), max_length=255)
    order_number = forms.CharField(label=_("Номер приказа"), max_length=64)


class GuardianForm(forms.Form):
    last_name = forms.CharField(label=_("Фамилия"), max_length=150)
    first_name = forms.CharField(label=_("Имя"), max_length=150)
    middle_name = forms.CharField(label=_("Отчество"), max_length=150, required=False)
    phone = forms.CharField(label=_("Телефон"), max_length=32, required=False, validators=[phone_validator])
    email = forms.EmailField(label=_("E-mail"), required=False)


class EsiaSubjectForm(forms.Form):
    esia_subject = forms.CharField(
        label=_("Идентификатор в ЕСИА"),
        max_length=64,
        required=False,
        help_text=_(
            "Перепишите из документа, который показал родитель (например, из справки с Госуслуг). "
            "По этому идентификатору, и только по нему, родитель сможет входить через Госуслуги. Пусто — не связан."
        ),
    )


class RelationForm(forms.Form):
    relation = forms.ChoiceField(label=_("Кем приходится"), choices=GuardianLink.Relation.choices)


class GuardianCreateForm(GuardianForm, RelationForm):
    pass


class LinkForm(RelationForm):
    student = forms.IntegerField(widget=forms.HiddenInput)


class AppointmentForm(forms.Form):
    role = forms.ChoiceField(label=_("Роль"))
    position = forms.CharField(
        label=_("Должность"), max_length=255, required=False, help_text=_("Например, учитель математики")
    )
    starts_on = date_field(_("Дата назначения"), required=False, initial_today=True)

    def __init__(self, *args, roles, **kwargs):
        super().__init__(*args, **kwargs)
        choice_field(self, "role").choices = [(r, Role(r).label) for r in roles]


class StaffAddForm(GuardianForm):
    roles = forms.MultipleChoiceField(label=_("Роли"), widget=forms.CheckboxSelectMultiple)
    position = AppointmentForm.base_fields["position"]
    starts_on = AppointmentForm.base_fields["starts_on"]

    def __init__(self, *args, roles, **kwargs):
        super().__init__(*args, **kwargs)
        choice_field(self, "roles").choices = [(r, Role(r).label) for r in roles]


class AppointmentEndForm(forms.Form):
    ends_on = date_field(_("Последний день в должности"), initial_today=True)


class ClassSlipsForm(forms.Form):
    who = forms.ChoiceField(
        label=_("Кому"),
        choices=[("guardians", _("родителям обучающихся класса")), ("students", _("обучающимся класса"))],
        widget=forms.RadioSelect,
        initial="guardians",
    )
    reissue = forms.BooleanField(
        label=_("Выдать новые пароли и тем, у кого логин уже есть (прежние пароли перестанут действовать)"),
        required=False,
    )
