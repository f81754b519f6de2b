"""Guardians: the searchable list, the card with the school's links, create, edit, link and unlink."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ejournal.access import policy
from ejournal.access.decorators import access_rule
from ejournal.access.http import ActorRequest
from ejournal.core.views import run, run_or_message

from .. import selectors, services
from ..forms import EsiaSubjectForm, GuardianCreateForm, GuardianForm, LinkForm
from .common import form_flow

PAGE_SIZE = 50
PERSONAL = ("last_name", "first_name", "middle_name", "phone", "email")


@access_rule("can_manage_student")
def guardian_list(request: ActorRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()[:100]
    guardians = selectors.guardians_search(actor=request.actor, q=q)
    page = Paginator(guardians, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "q": q}
    template = "people/partials/guardian_table.html" if request.htmx else "people/guardians.html"
    return render(request, template, context)


@access_rule("can_manage_student")
def guardian_create(request: ActorRequest) -> HttpResponse:
    """A guardian is always recorded for a child: first the child is chosen, then the guardian's data."""
    actor = request.actor
    student_id = request.GET.get("student", "")
    if not student_id.isdigit():
        q = request.GET.get("q", "").strip()[:100]
        context = {"q": q, "students": selectors.student_choices(actor=actor, q=q)}
        return render(request, "people/guardian_pick_student.html", context)
    student = selectors.student_get(actor=actor, pk=int(student_id))
    policy.enforce(actor, "can_manage_student", student)
    return form_flow(
        request,
        GuardianCreateForm(request.POST or None),
        lambda data: services.guardian_create(**data, student=student, actor=actor),
        success=_("Родитель добавлен и связан с ребёнком."),
        done=lambda guardian: reverse("people:guardian_detail", args=[guardian.pk]),
        title=_("Родитель (законный представитель) ребёнка: %(name)s") % {"name": student.full_name},
        back=reverse("people:student_detail", args=[student.pk]),
        submit=_("Добавить"),
        intro=_(
            "Если этот человек уже есть в системе (та же фамилия, имя и телефон или e-mail), ребёнок будет связан с ним."
        ),
    )


@access_rule("can_manage_student")
def guardian_detail(request: ActorRequest, pk: int) -> HttpResponse:
    actor = request.actor
    guardian = selectors.guardian_get(actor=actor, pk=pk)
    links = selectors.guardian_links(actor=actor, guardian=guardian)
    context = {
        "guardian": guardian,
        "links": links,
        "can_issue": any(policy.check(actor, "can_issue_credentials", link.student) for link in links),
    }
    return render(request, "people/guardian_detail.html", context)


@access_rule("can_manage_student")
def guardian_edit(request: ActorRequest, pk: int) -> HttpResponse:
    actor = request.actor
    guardian = selectors.guardian_get(actor=actor, pk=pk)
    back = reverse("people:guardian_detail", args=[guardian.pk])
    return form_flow(
        request,
        GuardianForm(request.POST or None, initial={k: getattr(guardian, k) for k in PERSONAL}),
        lambda data: services.guardian_update(guardian=guardian, **data, actor=actor),
        success=_("Изменения сохранены."),
        done=lambda _g: back,
        title=_("Родитель: %(name)s") % {"name": guardian.full_name},
        back=back,
        submit=_("Сохранить"),
    )


@access_rule("can_manage_student")
def guardian_esia(request: ActorRequest, pk: int) -> HttpResponse:
    """Record the parent's identifier at the state identity provider (sign-in through Госуслуги)."""
    actor = request.actor
    guardian = selectors.guardian_get(actor=actor, pk=pk)
    back = reverse("people:guardian_detail", args=[guardian.pk])
    current = guardian.user.esia_subject if guardian.user else ""
    return form_flow(
        request,
        EsiaSubjectForm(request.POST or None, initial={"esia_subject": current or ""}),
        lambda data: services.guardian_esia_subject_set(guardian=guardian, subject=data["esia_subject"], actor=actor),
        success=_("Идентификатор сохранён."),
        done=lambda _g: back,
        title=_("Вход через Госуслуги: %(name)s") % {"name": guardian.full_name},
        back=back,
        submit=_("Сохранить"),
    )


@access_rule("can_manage_student")
def guardian_link(request: ActorRequest, pk: int) -> HttpResponse:
    """Find a child of the school and link the guardian to them."""
    actor = request.actor
    guardian = selectors.guardian_get(actor=actor, pk=pk)
    form = LinkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        student = selectors.student_get(actor=actor, pk=form.cleaned_data["student"])
        policy.enforce(actor, "can_manage_student", student)
        ok, _link = run(
            form,
            lambda: services.guardian_link(
                guardian=guardian, student=student, relation=form.cleaned_data["relation"], actor=actor
            ),
        )
        if ok:
            messages.success(request, _("Ребёнок связан с родителем."))
            return redirect("people:guardian_detail", pk=guardian.pk)
    q = request.GET.get("q", "").strip()[:100]
    context = {
        "guardian": guardian,
        "form": form,
        "q": q,
        "students": selectors.student_choices(actor=actor, q=q),
        "relation_field": LinkForm().fields["relation"],
    }
    template = "people/partials/link_results.html" if request.htmx else "people/guardian_link.html"
    return render(request, template, context)


@require_POST
@access_rule("can_manage_student")
def guardian_unlink(request: ActorRequest, pk: int) -> HttpResponse:
    link = selectors.link_get(actor=request.actor, pk=pk)
    policy.enforce(request.actor, "can_manage_student", link.student)
    guardian_id = link.guardian_id
    run_or_message(request, lambda: services.guardian_unlink(link=link, actor=request.actor), _("Связь удалена."))
    if request.POST.get("next") == "student":
        return redirect("people:student_detail", pk=link.student_id)
    if not selectors.guardians_scope(request.actor).filter(pk=guardian_id).exists():
        return redirect("people:guardians")  # no child of this school left: the card is no longer ours
    return redirect("people:guardian_detail", pk=guardian_id)
