"""Forms of the public application page and of the register. Format checks only; the rules are in services."""

from __future__ import annotations

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from ejournal.core.forms import DateField
from ejournal.people.models import GuardianLink

from .guard import HONEYPOT
from .models import ApplicantKind, IdDocument

phone_validator = RegexValidator(r"^\+?[\d\s()\-]{10,20}$", _("Укажите телефон с кодом, например +7 (918) 123-45-67."))
doc_validator = RegexValidator(
    r"^[\w\s\-№]{4,30}$", _("Серия и номер документа — буквы и цифры, например 03 12 345678.")
)
name_validator = RegexValidator(r"^[^\d<>@/\\]+$", _("В имени не должно быть цифр и знаков."))


def _name(label, required: bool = True) -> forms.CharField:
    return forms.CharField(label=label, max_length=150, required=required, validators=[name_validator])


def _date(label) -> forms.DateField:
    return DateField(label=label)


class ApplicationForm(forms.Form):
    applicant_kind = forms.ChoiceField(label=_("Кто подаёт заявление"), choices=ApplicantKind.choices)
    relation = forms.ChoiceField(
        label=_("Кем вы приходитесь ребёнку"),
        choices=[("", "—"), *GuardianLink.Relation.choices],
        required=False,
        help_text=_("Обучающийся, подающий заявление сам, оставляет поле пустым."),
    )
    last_name = _name(_("Фамилия заявителя"))
    first_name = _name(_("Имя заявителя"))
    middle_name = _name(_("Отчество заявителя"), required=False)
    phone = forms.CharField(label=_("Телефон"), max_length=32, validators=[phone_validator])
    email = forms.EmailField(
        label=_("E-mail"), required=False, error_messages={"invalid": _("Проверьте адрес электронной почты.")}
    )
    id_doc_type = forms.ChoiceField(label=_("Документ, удостоверяющий личность"), choices=IdDocument.choices)
    id_doc_number = forms.CharField(
        label=_("Серия и номер документа"),
        max_length=30,
        validators=[doc_validator],
        help_text=_("Сохраняются только последние 4 знака: документ вы покажете в школе."),
    )
    child_last_name = _name(_("Фамилия ребёнка"))
    child_first_name = _name(_("Имя ребёнка"))
    child_middle_name = _name(_("Отчество ребёнка"), required=False)
    child_birth_date = _date(_("Дата рождения ребёнка"))
    child_class = forms.CharField(label=_("Класс"), max_length=16, help_text=_("Например, 5 «А» или 5А."))
    consent = forms.BooleanField(
        label=_("Я даю согласие на обработку персональных данных на условиях, изложенных выше"),
        required=True,
        error_messages={
            "required": _("Без согласия на обработку персональных данных заявление не может быть принято.")
        },
    )
    # Flood protection: a field people do not see and the time the form was shown.
    website = forms.CharField(label=_("Не заполняйте это поле"), required=False)
    started = forms.CharField(widget=forms.HiddenInput, required=False)  # guard.STARTED_FIELD

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[HONEYPOT].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})

    def clean(self):
        super().clean()
        data = self.cleaned_data
        for key, value in list(data.items()):
            if isinstance(value, str):
                data[key] = " ".join(value.split())
        return data


class StatusForm(forms.Form):
    number = forms.CharField(
        label=_("Номер заявления"), max_length=32, help_text=_("Например, S1-00001: он был на странице после отправки.")
    )
    contact = forms.CharField(
        label=_("Телефон или e-mail из заявления"),
        max_length=254,
        help_text=_("Тот же, что вы указали в заявлении: без него сведения о заявлении не показываются."),
    )


class BulkForm(forms.Form):
    """A bulk action on the register: the applications ticked on the page, or the whole held queue as shown."""

    MAX_IDS = 500
    ACTIONS = (("release", _("принять в работу")), ("spam", _("отклонить как спам")))
    action = forms.ChoiceField(choices=ACTIONS, error_messages={"required": _("Выберите действие.")})
    upto = forms.IntegerField(required=False, min_value=1)  # the whole held queue up to this application

    def clean(self):
        super().clean()
        data = self.cleaned_data
        raw = self.data.getlist("ids") if hasattr(self.data, "getlist") else []
        # Any ids: the selector keeps only the actor's own, so a foreign or stale one is left out.
        data["ids"] = sorted({int(v) for v in raw if str(v).isdigit()})[: self.MAX_IDS]
        if not data["ids"] and not data.get("upto"):
            raise forms.ValidationError(_("Отметьте заявления в списке."))
        return data


class VerifyForm(forms.Form):
    identity = forms.BooleanField(
        label=_("Личность заявителя проверена по документу"),
        error_messages={"required": _("Отметьте, что личность проверена.")},
    )
    relationship = forms.BooleanField(
        label=_("Родство или полномочия проверены (свидетельство о рождении, решение об опеке, доверенность)"),
        error_messages={"required": _("Отметьте, что родство или полномочия проверены.")},
    )
    note = forms.CharField(
        label=_("Какие документы предъявлены"), max_length=255, required=False, widget=forms.TextInput
    )


class GrantForm(forms.Form):
    consent_date = _date(_("Дата письменного согласия"))
    consent_document = forms.CharField(label=_("Согласие (номер или отметка)"), max_length=255, required=False)
    consent_received = forms.BooleanField(
        label=_("Письменное согласие на обработку персональных данных получено"),
        error_messages={"required": _("Без письменного согласия доступ не предоставляется.")},
    )


class RefuseForm(forms.Form):
    reason = forms.CharField(
        label=_("Причина отказа"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Укажите причину отказа: она сообщается заявителю.")},
    )
    consent_refused = forms.BooleanField(
        label=_("Заявитель дал письменный отказ от согласия на обработку персональных данных"), required=False
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Основание отзыва"),
        max_length=255,
        error_messages={"required": _("Укажите основание отзыва, например «заявление от 01.10.2026».")},
    )
