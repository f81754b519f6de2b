"""The second step of signing in, setting up the second factor, recovery codes and the list of sessions.

The password step (`views.LoginView`) does not log in a user who has a second factor:
it keeps who passed it, and when, in the session (`PENDING`), and this step logs in.
A wrong code counts as a failed sign-in for django-axes (same login, same address),
so N wrong codes lock exactly like N wrong passwords, and a right password in
between resets nothing (axes resets only on a completed sign-in).
"""

from __future__ import annotations

import base64

import qrcode
import qrcode.image.svg
from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ejournal.access.decorators import public, signed_in
from ejournal.core.views import confirmed, question_page

from . import provider
from . import second_factor as sf
from .forms import SecondFactorForm, TotpEnrolForm
from .http import request_user
from .lockout import lockout
from .models import User
from .sessions import SESSION_ENROL, sign_in_complete, sign_in_sessions_end_others, sign_in_sessions_of

PENDING = "_second_factor_pending"
ENROL_KEY = "_second_factor_key"


# --- The password step hands over -------------------------------------------------------------------


def pending_start(request: HttpRequest, user: User, *, backend: str, next_url: str, via_provider: bool = False):
    """Remember that `user` passed the first factor; the code page finishes the sign-in."""
    request.session[PENDING] = {
        "user": user.pk,
        "backend": backend,
        "at": int(timezone.now().timestamp()),
        "next": next_url,
        "provider": via_provider,
    }
    return HttpResponseRedirect(reverse("accounts:second_factor"))


def _pending(request: HttpRequest) -> tuple[User | None, dict]:
    data = request.session.get(PENDING)
    if not isinstance(data, dict):
        return None, {}
    if timezone.now().timestamp() - data.get("at", 0) > settings.OTP_PENDING_SECONDS:
        request.session.pop(PENDING, None)
        return None, {}
    user = User.objects.filter(pk=data["user"], is_active=True).first() if data.get("user") else None
    return user, data


def success_url(request: HttpRequest, user: User, next_url: str) -> str:
    """Where a completed sign-in goes: the password change first, else `next` if it is ours, else home."""
    if user.must_change_password:
        return reverse("accounts:password_change")
    if next_url and url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        return next_url
    return reverse(settings.LOGIN_REDIRECT_URL)


def _lockout(request: HttpRequest, credentials: dict) -> HttpResponse:
    request.session.pop(PENDING, None)
    return lockout(request, credentials=credentials)


@public
def second_factor(request: HttpRequest) -> HttpResponse:
    """Ask for the code of the second factor; sign in when it is right."""
    user, data = _pending(request)
    if user is None:
        messages.error(request, _("Время на ввод кода вышло или вход не начат. Войдите ещё раз."))
        return redirect("accounts:login")
    credentials = {"username": user.get_username()}
    if not AxesProxyHandler.is_allowed(request, credentials):
        return _lockout(request, credentials)
    form = SecondFactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        kind = sf.second_factor_verify(user=user, code=form.cleaned_data["code"])
        if kind:
            request.session.pop(PENDING, None)
            sign_in_complete(request, user, backend=data["backend"], via_provider=bool(data.get("provider")))
            if kind == "recovery":
                left = sf.recovery_codes_left(user)
                messages.warning(
                    request,
                    _("Вы вошли по коду восстановления; осталось кодов: %(left)s. Каждый код действует один раз.")
                    % {"left": left},
                )
            return HttpResponseRedirect(success_url(request, user, data.get("next", "")))
        user_login_failed.send(sender=__name__, credentials=credentials, request=request)
        if not AxesProxyHandler.is_allowed(request, credentials):
            return _lockout(request, credentials)
        form.add_error(
            "code",
            _("Код не подошёл. Введите шесть цифр, которые приложение показывает сейчас, или код восстановления."),
        )
    return render(request, "accounts/second_factor.html", {"form": form, "person": user})


# --- Setting it up ------------------------------------------------------------------------------------


def _qr_svg(device) -> str:
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    return image.to_string(encoding="unicode")


def _manual_key(device) -> str:
    key = base64.b32encode(device.bin_key).decode()
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def _codes_page(request: HttpRequest, codes: list[str], *, first: bool) -> HttpResponse:
    return render(request, "accounts/recovery_codes.html", {"codes": codes, "first": first})


@signed_in
def second_factor_setup(request: HttpRequest) -> HttpResponse:
    """The second factor of the signed-in user: its state, or the enrolment with a QR code and the key."""
    user = request_user(request)
    actor = getattr(request, "actor", None)
    device = sf.totp_device_of(user)
    again = request.GET.get("again") == "1" or request.POST.get("again") == "1"
    if device is not None and not again:
        context = {
            "device": device,
            "codes_left": sf.recovery_codes_left(user),
            "required": sf.second_factor_required(user),
        }
        return render(request, "accounts/second_factor_setup.html", context)
    key = request.session.get(ENROL_KEY)
    if not isinstance(key, str) or len(key) != 40:
        key = sf.totp_key_new()
        request.session[ENROL_KEY] = key
    pending_device = sf.totp_device_unsaved(user, key)
    form = TotpEnrolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = sf.totp_device_confirm(user=user, key=key, token=form.cleaned_data["code"], actor=actor)
        if codes is not None:
            request.session.pop(ENROL_KEY, None)
            request.session.pop(SESSION_ENROL, None)
            return _codes_page(request, codes, first=True)
        form.add_error("code", _("Код не подошёл. Проверьте время на телефоне и введите код, который виден сейчас."))
    context = {
        "form": form,
        "qr": mark_safe(_qr_svg(pending_device)),  # noqa: S308 - SVG drawn here from our own key, no user text
        "manual_key": _manual_key(pending_device),
        "must": bool(request.session.get(SESSION_ENROL)),
        "again": again,
    }
    return render(request, "accounts/second_factor_enrol.html", context)


@require_POST
@signed_in
def recovery_codes_new(request: HttpRequest) -> HttpResponse:
    """Issue new recovery codes (the old ones stop working): asked first."""
    if sf.totp_device_of(request_user(request)) is None:
        return redirect("accounts:second_factor_setup")
    if not confirmed(request):
        return question_page(
            request,
            title=_("Выпустить новые коды восстановления?"),
            lines=[_("Прежние коды восстановления перестанут действовать, в том числе записанные на бумаге.")],
            confirm=_("Выпустить новые коды"),
            cancel=reverse("accounts:second_factor_setup"),
        )
    codes = sf.recovery_codes_issue(user=request_user(request), actor=getattr(request, "actor", None))
    return _codes_page(request, codes, first=False)


@require_POST
@signed_in
def second_factor_off(request: HttpRequest) -> HttpResponse:
    """Switch the second factor off: only for whom it is not required; asked first."""
    user = request_user(request)
    if sf.second_factor_required(user):
        raise PermissionDenied("second factor required")
    if not confirmed(request):
        return question_page(
            request,
            title=_("Отключить второй фактор?"),
            lines=[_("Для входа снова будет достаточно пароля. Коды восстановления перестанут действовать.")],
            confirm=_("Отключить"),
            cancel=reverse("accounts:second_factor_setup"),
        )
    sf.second_factor_remove(user=user, actor=getattr(request, "actor", None))
    messages.success(request, _("Второй фактор отключён."))
    return redirect("accounts:second_factor_setup")


# --- Sessions ----------------------------------------------------------------------------------------


@signed_in
def sessions(request: HttpRequest) -> HttpResponse:
    """Where the user is signed in: device and browser, address, when last seen."""
    from .sessions import SESSION_SID

    rows = sign_in_sessions_of(request_user(request))
    current = request.session.get(SESSION_SID)
    return render(request, "accounts/sessions.html", {"rows": rows, "current": current})


@require_POST
@signed_in
def sessions_end_others(request: HttpRequest) -> HttpResponse:
    """«Выйти на других устройствах»: every other session of the user ends now."""
    sign_in_sessions_end_others(request, actor=getattr(request, "actor", None))
    messages.success(request, _("Вы вышли на всех других устройствах. Этот сеанс продолжается."))
    return redirect("accounts:sessions")


# --- Sign-in through the identity provider -------------------------------------------------------------


@public
def provider_start(request: HttpRequest) -> HttpResponse:
    """Send the person to the identity provider (to the login page while none is configured)."""
    if not provider.provider_name():
        return redirect("accounts:login")
    return provider.provider_redirect(request, request.build_absolute_uri(reverse("accounts:provider_callback")))


@public
def provider_callback(request: HttpRequest) -> HttpResponse:
    """Back from the provider: sign in the account the school linked, or send a parent to the service's form."""
    name = provider.provider_name()
    if not name:
        return redirect("accounts:login")
    try:
        person = provider.provider_person(request)
    except provider.ProviderError as exc:
        provider.log.warning("sign-in through the provider refused: %s", exc.reason)
        return render(request, "accounts/provider_failed.html", {"provider_name": name}, status=400)
    user = provider.provider_account(person)
    if user is None:
        provider.provider_prefill_keep(request, person)
        messages.info(
            request,
            _(
                "Вход через %(provider)s выполнен, но в электронном журнале нет учётной записи, связанной с вами. "
                "Родители получают доступ по заявлению: выберите школу — ваши данные уже заполнены."
            )
            % {"provider": name},
        )
        return redirect("service:index")
    backend = "ejournal.accounts.backends.UserBackend"
    step = sf.second_factor_step(user)
    if step == "code":
        return pending_start(request, user, backend=backend, next_url="", via_provider=True)
    sign_in_complete(request, user, backend=backend, enrol=step == "enrol", via_provider=True)
    return HttpResponseRedirect(success_url(request, user, ""))
