"""The public pages of the municipal service: the city's index, a school's page with the form, the receipt."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ejournal.access.decorators import public
from ejournal.access.policy import ANONYMOUS
from ejournal.core.views import run

from .. import guard, selectors, services
from ..forms import ApplicationForm
from ..rules import service_setting

RECEIPT_SESSION_KEY = "service_receipt"


@public
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "service/index.html", {"schools": selectors.schools_public()})


def _page(request: HttpRequest, school, form: ApplicationForm, status: int = 200) -> HttpResponse:
    context = {
        "school": school,
        "form": form,
        "started": guard.form_token(),
        "coordinators": selectors.school_coordinators(school),
        "deadline_days": service_setting("deadline_days"),
    }
    return render(request, "service/school_page.html", context, status=status)


def _input(data: dict) -> services.ApplicationInput:
    fields = services.ApplicationInput.__dataclass_fields__
    return services.ApplicationInput(**{k: v for k, v in data.items() if k in fields})


@public
@require_http_methods(["GET", "POST"])
def school_page(request: HttpRequest, code: str) -> HttpResponse:
    """What the service is, how it goes, whom to ask, and the application form."""
    school = selectors.school_by_code(code)
    if request.method != "POST":
        return _page(request, school, ApplicationForm())
    if guard.looks_like_bot(request.POST):
        return redirect("service:done", code=school.code)  # silently: a bot learns nothing
    form = ApplicationForm(request.POST)
    address = guard.client_address(request)
    valid = form.is_valid()
    if guard.form_age(request.POST.get(guard.STARTED_FIELD, "")) is None:
        form.add_error(None, _("Форма устарела. Проверьте данные и отправьте заявление ещё раз."))
        valid = False
    elif guard.rate_exceeded(address, school.pk):
        form.add_error(None, _("Слишком много заявлений с этого адреса или в эту школу. Повторите попытку через час."))
        valid = False
    if valid:
        ok, application = run(
            form, lambda: services.application_submit(school=school, data=_input(form.cleaned_data), actor=ANONYMOUS)
        )
        if ok:
            guard.rate_count(address, school.pk)
            request.session[RECEIPT_SESSION_KEY] = {
                "number": application.number,
                "due_on": application.due_on.isoformat(),
            }
            return redirect("service:done", code=school.code)
    return _page(request, school, form, status=400)


@public
def done(request: HttpRequest, code: str) -> HttpResponse:
    """The receipt: the application's number and what happens next."""
    school = selectors.school_by_code(code)
    receipt = request.session.get(RECEIPT_SESSION_KEY) or {}
    context = {
        "school": school,
        "number": receipt.get("number", ""),
        "due_on": dt.date.fromisoformat(receipt["due_on"]) if receipt.get("due_on") else None,
        "coordinators": selectors.school_coordinators(school),
        "deadline_days": service_setting("deadline_days"),
    }
    return render(request, "service/done.html", context)
