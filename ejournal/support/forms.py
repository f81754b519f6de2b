from django import forms
from django.utils.translation import gettext_lazy as _

from .models import SupportRequest


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; the service checks their number, size and type."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


class RequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("Вид поддержки"), choices=SupportRequest.Kind.choices)
    subject = forms.CharField(label=_("Тема"), max_length=200)
    text = forms.CharField(label=_("Описание"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6}))
    files = MultipleFileField(label=_("Файлы (снимки экрана, документы)"))  # type: ignore[assignment]  # a declared field: the metaclass moves it to base_fields, self.files stays the uploads


class ReplyForm(forms.Form):
    text = forms.CharField(label=_("Ответ"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))
    files = MultipleFileField(label=_("Файлы"))  # type: ignore[assignment]  # a declared field: the metaclass moves it to base_fields, self.files stays the uploads


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Состояние"), choices=SupportRequest.Status.choices)
