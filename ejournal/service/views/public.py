"""The public pages of the municipal service: the city's index, a school's page with the form, the receipt,
the status check."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ejournal.access.decorators import public
from ejournal.access.policy import ANONYMOUS
from ejournal.accounts.provider import provider_prefill

from .. import guard, selectors, services
from ..forms import ApplicationForm, StatusForm
from ..rules import service_setting

RECEIPT_SESSION_KEY = "service_receipt"


@public
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "service/index.html", {"schools": selectors.schools_public()})


def _page(request: HttpRequest, school, form: ApplicationForm, token: str = "", status: int = 200) -> HttpResponse:
    """The school's page with the form; `token` is the form's own token when it is shown again after an error."""
    context = {
        "school": school,
        "form": form,
        "started": token or guard.form_token(),
        "coordinators": selectors.school_coordinators(school),
        "deadline_days": service_setting("deadline_days"),
    }
    return render(request, "service/school_page.html", context, status=status)


def _confirm(request: HttpRequest, school, form: ApplicationForm, token: str, status: int = 200) -> HttpResponse:
    """The extra step of a suspected bot: the data to send again with the answer to a sum."""
    read = guard.token_read(token)
    context = {"school": school, "form": form, "started": token, "question": read.question if read else None}
    return render(request, "service/confirm.html", context, status=status)


def _input(data: dict) -> services.ApplicationInput:
    fields = services.ApplicationInput.__dataclass_fields__
    return services.ApplicationInput(**{k: v for k, v in data.items() if k in fields})


@public
@require_http_methods(["GET", "POST"])
def school_page(request: HttpRequest, code: str) -> HttpResponse:
    """What the service is, how it goes, whom to ask, and the application form."""
    school = selectors.school_by_code(code)
    if request.method != "POST":
        # A parent who came from the identity provider without an account finds their own data filled in.
        return _page(request, school, ApplicationForm(initial=provider_prefill(request)))
    form = ApplicationForm(request.POST)
    posted = request.POST.get(guard.STARTED_FIELD, "")
    token = guard.token_read(posted)
    if token is None:
        form.is_valid()
        form.add_error(None, _("Форма устарела. Проверьте данные и отправьте заявление ещё раз."))
        return _page(request, school, form, status=400)
    if token.question is not None:  # the confirmation step
        if not form.is_valid():
            return _page(request, school, form, status=400)
        if not guard.answer_ok(token, request.POST.get(guard.ANSWER_FIELD, "")):
            form.add_error(None, _("Ответ неверный. Посчитайте ещё раз и подтвердите отправку."))
            return _confirm(request, school, form, posted, status=400)
    elif not form.is_valid():
        return _page(request, school, form, posted, status=400)  # the same token: the fill time runs on
    elif guard.needs_confirmation(request.POST, token):
        return _confirm(request, school, form, guard.confirm_token())
    return _submit(request, school, form, token, posted)


def _submit(request: HttpRequest, school, form: ApplicationForm, token: guard.FormToken, posted: str) -> HttpResponse:
    """Save the application; a refusal shows the form again, with its own token unless that one has served."""
    try:
        application = services.application_submit(
            school=school,
            data=_input(form.cleaned_data),
            actor=ANONYMOUS,
            form_nonce=token.nonce,
            source=guard.source_of(request),
        )
    except ValidationError as exc:
        form.add_error(None, exc)
        used = getattr(exc, "code", None) == "form_used"
        keep = "" if used or token.question is not None else posted  # the fill time runs on from the first display
        return _page(request, school, form, keep, status=400)
    request.session[RECEIPT_SESSION_KEY] = {
        "school": school.code,
        "number": application.number,
        "due_on": application.due_on.isoformat() if application.due_on else "",
        "held": application.status == application.Status.HELD,
    }
    return redirect("service:done", code=school.code)


@public
def done(request: HttpRequest, code: str) -> HttpResponse:
    """The receipt: the application's number and what happens next; without a saved application, the form."""
    school = selectors.school_by_code(code)
    receipt = request.session.get(RECEIPT_SESSION_KEY) or {}
    if not receipt.get("number") or receipt.get("school") != school.code:
        return redirect("service:school_page", code=school.code)
    context = {
        "school": school,
        "number": receipt["number"],
        "due_on": dt.date.fromisoformat(receipt["due_on"]) if receipt.get("due_on") else None,
        "held": receipt.get("held", False),
        "coordinators": selectors.school_coordinators(school),
        "deadline_days": service_setting("deadline_days"),
    }
    return render(request, "service/done.html", context)


@public
@require_http_methods(["GET", "POST"])
def status(request: HttpRequest, code: str) -> HttpResponse:
    """The applicant checks their application by its number and the phone or e-mail they gave."""
    school = selectors.school_by_code(code)
    form = StatusForm(request.POST or None)
    application = None
    http_status = 200
    if request.method == "POST" and form.is_valid():
        application = selectors.application_public_status(
            school=school, number=form.cleaned_data["number"], contact=form.cleaned_data["contact"]
        )
        if application is None:
            form.add_error(
                None,
                _(
                    "Заявление с таким номером и контактом не найдено. Проверьте номер и укажите телефон или e-mail из заявления."
                ),
            )
            http_status = 404
    elif request.method == "POST":
        http_status = 400
    context = {
        "school": school,
        "form": form,
        "application": application,
        "state": _public_state(application) if application else "",
        "coordinators": selectors.school_coordinators(school),
    }
    return render(request, "service/status.html", context, status=http_status)


def _public_state(application) -> str:
    """The application's state as the applicant is told it."""
    states = {
        application.Status.HELD: _("получено, ожидает проверки школой; срок рассмотрения начнётся после проверки"),
        application.Status.RECEIVED: _("получено"),
        application.Status.IN_WORK: _("в работе"),
        application.Status.GRANTED: _("доступ предоставлен: лист с логином и паролем выдаётся в школе"),
        application.Status.REFUSED: _("отказано"),
        application.Status.SPAM: _("отклонено: заявление не прошло проверку школой; обратитесь в школу"),
    }
    return states[application.status]
