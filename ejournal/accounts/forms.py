from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, SetPasswordForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("Неверный логин или пароль. Проверьте раскладку клавиатуры и Caps Lock."),
        "inactive": _("Учётная запись отключена. Обратитесь к ответственному за электронный журнал."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Логин")
        self.fields["password"].label = _("Пароль")


class NotCurrentPasswordMixin:
    """A new password is never the current one.

    Keeping the one-time password a school printed on a slip would leave the
    slip a valid key while the account no longer asks for a change.
    """

    # Given by the password form it is mixed into (SetPasswordForm, PasswordChangeForm).
    user: Any
    cleaned_data: dict[str, Any]

    def clean_new_password1(self):
        password = self.cleaned_data["new_password1"]
        if self.user.check_password(password):
            raise ValidationError(
                _("Новый пароль совпадает с нынешним. Придумайте другой пароль."), code="password_unchanged"
            )
        return password


class NewPasswordForm(NotCurrentPasswordMixin, SetPasswordForm):
    """The new password set from the link sent by e-mail."""


class ChangePasswordForm(NotCurrentPasswordMixin, PasswordChangeForm):
    """The old password, then a new, different one."""


class SecondFactorForm(forms.Form):
    """The code of the second factor at sign-in: six digits from the app, or a recovery code."""

    code = forms.CharField(
        label=_("Код из приложения или код восстановления"),
        max_length=32,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false"}),
    )


class TotpEnrolForm(forms.Form):
    """The first code the new app shows: proves the key was scanned or typed correctly."""

    code = forms.CharField(
        label=_("Код из приложения"),
        max_length=8,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9 ]*", "spellcheck": "false"}
        ),
    )
