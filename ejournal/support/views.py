"""The support desk pages: the list of requests, a new request, a request's thread, its files."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ejournal.access import policy
from ejournal.access.decorators import access_rule
from ejournal.access.http import ActorRequest
from ejournal.core.views import form_flow, run
from ejournal.schools.models import School

from . import selectors, services
from .forms import ReplyForm, RequestForm, StatusForm
from .models import SupportRequest

PAGE_SIZE = 50


@access_rule("can_view_support_requests")
def request_list(request: ActorRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    rows = selectors.support_requests_list(actor=request.actor, status=status)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "status": status,
        "statuses": SupportRequest.Status.choices,
        "can_file": policy.check(request.actor, "can_file_support_request"),
    }
    return render(request, "support/list.html", context)


@access_rule("can_file_support_request")
def request_new(request: ActorRequest) -> HttpResponse:
    school = get_object_or_404(School, pk=request.actor.school_id)
    form = RequestForm(request.POST or None, request.FILES or None)

    def call(data):
        return services.support_request_file(
            school=school,
            kind=data["kind"],
            subject=data["subject"],
            text=data["text"],
            files=data["files"],
            actor=request.actor,
        )

    return form_flow(
        request,
        form,
        call,
        success=_("Заявка отправлена в методический центр."),
        done=lambda r: reverse("support:detail", args=[r.pk]),
        back=reverse("support:list"),
        title=_("Новая заявка в службу поддержки"),
        submit=_("Отправить"),
        template="support/form.html",
    )


def _detail(request: ActorRequest, item: SupportRequest, reply_form=None) -> HttpResponse:
    actor = request.actor
    can_answer = policy.check(actor, "can_answer_support_request", item)
    context = {
        "item": item,
        "can_answer": can_answer,
        "can_reply": item.status != SupportRequest.Status.CLOSED
        and (can_answer or policy.check(actor, "can_file_support_request", item)),
        "reply_form": reply_form or ReplyForm(),
        "status_form": StatusForm(initial={"status": item.status}),
    }
    return render(request, "support/detail.html", context, status=400 if reply_form else 200)


@access_rule("can_view_support_requests")
def request_detail(request: ActorRequest, pk: int) -> HttpResponse:
    return _detail(request, selectors.support_request_get(actor=request.actor, pk=pk))


@require_POST
@access_rule("can_view_support_requests")
def request_reply(request: ActorRequest, pk: int) -> HttpResponse:
    item = selectors.support_request_get(actor=request.actor, pk=pk)
    if not (
        policy.check(request.actor, "can_answer_support_request", item)
        or policy.check(request.actor, "can_file_support_request", item)
    ):
        policy.enforce(request.actor, "can_answer_support_request", item)
    form = ReplyForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        ok, _m = run(
            form,
            lambda: services.support_request_reply(
                request=item, text=data["text"], files=data["files"], actor=request.actor
            ),
        )
        if ok:
            messages.success(request, _("Сообщение добавлено."))
            return redirect("support:detail", pk=pk)
    return _detail(request, item, reply_form=form)


@require_POST
@access_rule("can_answer_support_request")
def request_status(request: ActorRequest, pk: int) -> HttpResponse:
    item = selectors.support_request_get(actor=request.actor, pk=pk)
    form = StatusForm(request.POST)
    if form.is_valid():
        ok, _r = run(
            form,
            lambda: services.support_request_status_set(
                request=item, status=form.cleaned_data["status"], actor=request.actor
            ),
        )
        if ok:
            messages.success(request, _("Состояние заявки изменено."))
    else:
        messages.error(request, _("Неизвестное состояние заявки."))
    return redirect("support:detail", pk=pk)


@access_rule("can_view_support_requests")
def attachment_download(request: ActorRequest, pk: int) -> FileResponse:
    attachment = selectors.support_attachment_get(actor=request.actor, pk=pk)
    response = FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.name)
    response["X-Content-Type-Options"] = "nosniff"
    return response
