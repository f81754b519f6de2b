"""Sign in and out, password change and reset by e-mail."""

import math

from axes.helpers import get_cool_off, get_failure_limit
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse_lazy
from django.utils import timezone

from ejournal.access.decorators import public, signed_in

from .forms import ChangePasswordForm, LoginForm, NewPasswordForm
from .provider import provider_name
from .second_factor import second_factor_step
from .second_factor_views import pending_start, success_url
from .services import password_change_completed
from .sessions import sign_in_complete, sign_in_session_close
from .signin_gate import signin_slot


class LoginView(auth_views.LoginView):
    """Sign in; a user holding a password issued by the school is sent to change it first. At most
    `SIGNIN_CONCURRENCY` password checks at once per process (`signin_gate`): another sign-in is asked to try
    again in a minute, nothing checked.

    A user with a second factor is not logged in here: the code page finishes the
    sign-in. A user whose role requires one that is not set up is logged in to the
    enrolment page only (`SignInSessionMiddleware`).
    """

    def post(self, request, *args, **kwargs):
        with signin_slot() as admitted:
            if admitted:
                return super().post(request, *args, **kwargs)
        form = self.get_form_class()(request, initial={"username": request.POST.get("username", "")[:150]})
        context = self.get_context_data(form=form, busy=True)
        response = self.render_to_response(context, status=503)
        response["Retry-After"] = "60"
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["provider_name"] = provider_name()
        return context

    def form_valid(self, form):
        user = form.get_user()
        step = second_factor_step(user)
        if step == "code":
            return pending_start(self.request, user, backend=user.backend, next_url=self.get_redirect_url())
        sign_in_complete(self.request, user, backend=user.backend, enrol=step == "enrol")
        return HttpResponseRedirect(success_url(self.request, user, self.get_redirect_url()))


class LogoutView(auth_views.LogoutView):
    def post(self, request, *args, **kwargs):
        sign_in_session_close(request)
        return super().post(request, *args, **kwargs)


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = ChangePasswordForm

    def form_valid(self, form):
        response = super().form_valid(form)
        password_change_completed(user=form.user, actor=getattr(self.request, "actor", None))
        return response


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = NewPasswordForm

    def form_valid(self, form):
        response = super().form_valid(form)
        password_change_completed(user=form.user, actor=None)
        return response


login = public(
    LoginView.as_view(
        template_name="accounts/login.html", authentication_form=LoginForm, redirect_authenticated_user=True
    )
)
logout = public(LogoutView.as_view())
password_change = signed_in(
    PasswordChangeView.as_view(
        template_name="accounts/password_change.html", success_url=reverse_lazy("accounts:password_change_done")
    )
)
password_change_done = signed_in(
    auth_views.PasswordChangeDoneView.as_view(template_name="accounts/password_change_done.html")
)
password_reset = public(
    auth_views.PasswordResetView.as_view(
        template_name="accounts/password_reset.html",
        email_template_name="accounts/password_reset_email.txt",
        subject_template_name="accounts/password_reset_subject.txt",
        success_url=reverse_lazy("accounts:password_reset_done"),
    )
)
password_reset_done = public(
    auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html")
)
password_reset_confirm = public(
    PasswordResetConfirmView.as_view(
        template_name="accounts/password_reset_confirm.html",
        success_url=reverse_lazy("accounts:password_reset_complete"),
    )
)
password_reset_complete = public(
    auth_views.PasswordResetCompleteView.as_view(template_name="accounts/password_reset_complete.html")
)


def lockout(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """Render the Russian lockout page with the time the user may try again (AXES_LOCKOUT_CALLABLE).

    Every attempt during a lockout restarts the cool-off (axes default), so
    "now + cool-off" is exactly when the next attempt will be let through.
    """
    cool_off = get_cool_off(request)
    context = {"failure_limit": get_failure_limit(request, credentials), "retry_at": None, "cooloff_minutes": None}
    if cool_off:
        context["cooloff_minutes"] = max(1, math.ceil(cool_off.total_seconds() / 60))
        context["retry_at"] = timezone.localtime() + cool_off
    return render(request, "accounts/lockout.html", context, status=getattr(settings, "AXES_HTTP_RESPONSE_CODE", 429))
