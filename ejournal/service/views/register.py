"""The coordinator's register of applications: the list, an application's page and its steps, consents."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from ejournal.access import policy
from ejournal.access.decorators import access_rule
from ejournal.access.http import ActorRequest
from ejournal.core.views import run
from ejournal.people.models import Student
from ejournal.people.views.common import slips_remember
from ejournal.people.views.slips import slip_for

from .. import selectors, services
from ..forms import BulkForm, GrantForm, RefuseForm, VerifyForm, WithdrawForm
from ..models import Application
from ..rules import service_setting

PAGE_SIZE = 50
BULK_SHOWN = 200  # rows listed on a bulk action's confirmation page; the count covers all


@access_rule("can_view_service_register")
def register(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    status = request.GET.get("status", "")
    overdue = request.GET.get("overdue") == "1"
    applications = selectors.applications_list(actor=actor, status=status, overdue=overdue)
    page = Paginator(applications, PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    rows = [selectors.deadline_mark(application, today) for application in page]
    duplicates = selectors.duplicates_of(actor=actor, applications=rows)
    for application in rows:
        application.duplicates = duplicates.get(application.pk, [])  # type: ignore[attr-defined]  # for the template
    context = {
        "page": page,
        "rows": rows,
        "status": status,
        "overdue": overdue,
        "statuses": Application.Status.choices,
        "held_count": selectors.held_count(actor=actor),
        "can_handle": policy.check(actor, "can_handle_service_application"),
        # The whole held queue as shown: a bulk action never reaches what arrived after the page.
        "held_upto": selectors.held_last_id(actor=actor) if status == Application.Status.HELD and rows else None,
    }
    return render(request, "service/register.html", context)


@require_POST
@access_rule("can_handle_service_application")
def register_bulk(request: ActorRequest) -> HttpResponse:
    """Release or reject as spam many applications in one action, after a page saying how many and what.

    `upto` stands for the whole held queue as it was shown (up to that application), however long it is.
    """
    actor = request.actor
    form = BulkForm(request.POST)
    if not form.is_valid():
        _message_errors(request, form)
        return redirect(_back(request))
    data = form.cleaned_data
    upto = data.get("upto")
    ids = selectors.held_ids(actor=actor, upto=upto) if upto else data["ids"]
    release = data["action"] == "release"
    changing = selectors.applications_chosen(actor=actor, ids=ids).filter(
        status__in=[Application.Status.HELD] if release else services.SPAM_FROM
    )
    if request.POST.get("confirm") != "1":
        count = changing.count()
        context = {
            "action": data["action"],
            "count": count,
            "shown": list(changing[:BULK_SHOWN]),
            "more": max(count - BULK_SHOWN, 0),
            "left_as_is": 0 if upto else max(len(ids) - count, 0),
            "upto": upto,
            "ids": [] if upto else ids,
            "back": _back(request),
            "due_on": timezone.localdate() + dt.timedelta(days=service_setting("deadline_days")),
        }
        return render(request, "service/bulk_confirm.html", context)
    chosen = list(changing.values_list("pk", flat=True))
    if release:
        done = services.applications_release(school_id=actor.school_id_required, ids=chosen, actor=actor)
        text = ngettext(
            "Принято в работу %(n)s заявление: срок решения пошёл.",
            "Принято в работу %(n)s заявлений: срок решения пошёл.",
            done,
        )
    else:
        done = services.applications_mark_spam(school_id=actor.school_id_required, ids=chosen, actor=actor)
        text = ngettext("Отклонено как спам %(n)s заявление.", "Отклонено как спам %(n)s заявлений.", done)
    if not done:  # e.g. the same confirmation sent again from another tab: say so, not «0 … done»
        messages.warning(
            request,
            _(
                "Ничего не изменено: отмеченные заявления уже обработаны (возможно, в другой вкладке "
                "или другим сотрудником)."
            ),
        )
        return redirect(_back(request))
    messages.success(request, text % {"n": done})
    return redirect(_back(request))


def _back(request: ActorRequest) -> str:
    """The register's page the action came from (only a path of the register itself)."""
    back = request.POST.get("back", "")
    register_url = reverse("service:register")
    return back if back.startswith(register_url) and "//" not in back and "\\" not in back else register_url


def _detail(request: ActorRequest, application: Application, **forms) -> HttpResponse:
    actor = request.actor
    q = request.GET.get("q", "").strip()[:100]
    context = {
        "application": application,
        "duplicates": selectors.duplicates_of(actor=actor, applications=[application]).get(application.pk, []),
        "can_handle": policy.check(actor, "can_handle_service_application", application),
        "candidates": selectors.application_candidates(actor=actor, application=application, q=q)
        if application.is_open
        else [],
        "q": q,
        "verify_form": forms.get("verify_form") or VerifyForm(),
        "grant_form": forms.get("grant_form") or GrantForm(initial={"consent_date": timezone.localdate()}),
        "refuse_form": forms.get("refuse_form") or RefuseForm(),
        # A refusal of a step stays visible even when the step's form is no longer shown (a decided application).
        "step_errors": [error for form in forms.values() for error in form.non_field_errors()],
    }
    return render(request, "service/application.html", context, status=400 if forms else 200)


@access_rule("can_view_service_register")
def application_detail(request: ActorRequest, pk: int) -> HttpResponse:
    return _detail(request, selectors.application_get(actor=request.actor, pk=pk))


def _handled(request: ActorRequest, pk: int) -> Application:
    application = selectors.application_get(actor=request.actor, pk=pk)
    policy.enforce(request.actor, "can_handle_service_application", application)
    return application


def _message_errors(request: ActorRequest, form) -> None:
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


@require_POST
@access_rule("can_handle_service_application")
def application_match(request: ActorRequest, pk: int) -> HttpResponse:
    application = _handled(request, pk)
    student_id = request.POST.get("student", "")
    if not student_id.isdigit():
        messages.error(request, _("Выберите обучающегося из списка."))
        return redirect("service:application", pk=pk)
    student = get_object_or_404(Student, pk=int(student_id), school_id=request.actor.school_id)
    try:
        services.application_match(
            application=application, student=student, actor=request.actor,
            same_child_confirmed=request.POST.get("same_child") == "yes",
        )  # fmt: skip
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Заявление связано с обучающимся: %(name)s.") % {"name": student.full_name})
    return redirect("service:application", pk=pk)


@require_POST
@access_rule("can_handle_service_application")
def application_verify(request: ActorRequest, pk: int) -> HttpResponse:
    application = _handled(request, pk)
    form = VerifyForm(request.POST)
    if form.is_valid():
        note = form.cleaned_data["note"]
        ok, _result = run(
            form, lambda: services.application_verify(application=application, note=note, actor=request.actor)
        )
        if ok:
            messages.success(request, _("Проверка личности и родства записана."))
            return redirect("service:application", pk=pk)
    return _detail(request, application, verify_form=form)


@require_POST
@access_rule("can_handle_service_application")
def application_grant(request: ActorRequest, pk: int) -> HttpResponse:
    """Grant access; a new login goes to the printable slip (people's slip page), shown once."""
    application = _handled(request, pk)
    form = GrantForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        ok, grant = run(
            form,
            lambda: services.application_grant(
                application=application,
                consent_date=data["consent_date"],
                consent_document=data["consent_document"],
                actor=request.actor,
            ),
        )
        if ok and grant.credential is not None:
            children = [grant.application.student] if grant.application.guardian_id else []
            slip = slip_for(request, grant.person, grant.credential, school=application.school, children=children)
            slips_remember(request, [slip])
            messages.success(request, _("Доступ предоставлен. Распечатайте лист с логином и паролем и передайте его."))
            return redirect("people:slips")
        if ok:
            messages.success(
                request, _("Доступ предоставлен: у заявителя уже есть логин, ребёнок добавлен в его дневник.")
            )
            return redirect("service:application", pk=pk)
    return _detail(request, application, grant_form=form)


@require_POST
@access_rule("can_handle_service_application")
def application_refuse(request: ActorRequest, pk: int) -> HttpResponse:
    application = _handled(request, pk)
    form = RefuseForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        ok, _result = run(
            form,
            lambda: services.application_refuse(
                application=application,
                reason=data["reason"],
                consent_refused=data["consent_refused"],
                actor=request.actor,
            ),
        )
        if ok:
            messages.success(request, _("Отказ записан. Распечатайте уведомление для заявителя."))
            return redirect("service:application", pk=pk)
    return _detail(request, application, refuse_form=form)


@access_rule("can_view_service_register")
def guardian_detail(request: ActorRequest, pk: int) -> HttpResponse:
    actor = request.actor
    guardian = selectors.guardian_get(actor=actor, pk=pk)
    context = {
        "guardian": guardian,
        "consents": selectors.guardian_consents(actor=actor, guardian=guardian),
        "can_handle": policy.check(actor, "can_handle_service_application"),
    }
    return render(request, "service/guardian.html", context)


@require_POST
@access_rule("can_handle_service_application")
def consent_withdraw(request: ActorRequest, pk: int) -> HttpResponse:
    """Withdraw a consent: the guardian's access to the child ends (the link is removed)."""
    actor = request.actor
    consent = selectors.consent_get(actor=actor, pk=pk)
    policy.enforce(actor, "can_handle_service_application", consent)
    form = WithdrawForm(request.POST)
    if form.is_valid():
        try:
            services.consent_withdraw(consent=consent, reason=form.cleaned_data["reason"], actor=actor)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Согласие отозвано: доступ родителя к ребёнку прекращён."))
    else:
        _message_errors(request, form)
    if consent.guardian_id is None:
        return redirect(reverse("service:register"))
    return redirect("service:guardian", pk=consent.guardian_id)
