"""Classes of the current year and their subgroups."""

from __future__ import annotations

from types import SimpleNamespace

from django.contrib import messages
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
from ..forms import ClassForm, SubgroupForm, SubgroupMembersForm
from .common import class_credentials_target, form_flow


@access_rule("can_view_class")
def class_list(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    context = {
        "classes": selectors.classes_list(actor=actor),
        "can_manage": policy.check(actor, "can_manage_school"),
    }
    return render(request, "people/classes.html", context)


def _class_form(request: ActorRequest, instance=None) -> ClassForm:
    teachers = selectors.school_staff_users(school_id=request.actor.school_id_required)
    initial = None
    if instance is not None:
        initial = {f: getattr(instance, f) for f in ("grade", "letter", "class_teacher", "shift")}
    return ClassForm(request.POST or None, initial=initial, teachers=teachers)


@access_rule("can_manage_school")
def class_create(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    school = selectors.school_of(actor)
    return form_flow(
        request,
        _class_form(request),
        lambda data: services.class_create(school=school, **data, actor=actor),
        success=_("Класс создан."),
        done=lambda cls: reverse("people:class_detail", args=[cls.pk]),
        title=_("Новый класс"),
        back=reverse("people:classes"),
        submit=_("Создать"),
    )


@access_rule("can_manage_school")
def class_edit(request: ActorRequest, pk: int) -> HttpResponse:
    actor = request.actor
    cls = selectors.class_get(actor=actor, pk=pk)
    back = reverse("people:class_detail", args=[cls.pk])
    return form_flow(
        request,
        _class_form(request, cls),
        lambda data: services.class_update(school_class=cls, **data, actor=actor),
        success=_("Изменения сохранены."),
        done=lambda _cls: back,
        title=_("Класс %(name)s") % {"name": cls},
        back=back,
        submit=_("Сохранить"),
    )


@access_rule("can_view_class")
def class_detail(request: ActorRequest, pk: int) -> HttpResponse:
    actor = request.actor
    cls = selectors.class_get(actor=actor, pk=pk)
    policy.enforce(actor, "can_view_class", cls)
    context = {
        "cls": cls,
        "enrolments": selectors.class_enrolments(school_class=cls),
        "subgroups": selectors.class_subgroups(school_class=cls),
        "can_manage_class": policy.check(actor, "can_manage_class", cls),
        "can_manage_school": policy.check(actor, "can_manage_school"),
        "can_manage_students": policy.check(actor, "can_manage_student"),
        "can_issue": policy.check(actor, "can_issue_credentials", class_credentials_target(cls)),
        "can_view_journal": policy.check(
            actor, "can_view_journal", SimpleNamespace(school_id=cls.school_id, school_class_id=cls.pk)
        ),
    }
    return render(request, "people/class_detail.html", context)


def _managed_class(request: ActorRequest, pk: int):
    cls = selectors.class_get(actor=request.actor, pk=pk)
    policy.enforce(request.actor, "can_manage_class", cls)
    return cls


@access_rule("can_view_class")
def subgroup_create(request: ActorRequest, pk: int) -> HttpResponse:
    actor = request.actor
    cls = _managed_class(request, pk)
    back = reverse("people:class_detail", args=[cls.pk])
    return form_flow(
        request,
        SubgroupForm(request.POST or None),
        lambda data: services.subgroup_create(school_class=cls, name=data["name"], actor=actor),
        success=_("Подгруппа создана. Отметьте её состав."),
        done=lambda sg: reverse("people:subgroup_members", args=[sg.pk]),
        title=_("Новая подгруппа класса %(name)s") % {"name": cls},
        back=back,
        submit=_("Создать"),
    )


def _managed_subgroup(request: ActorRequest, pk: int):
    subgroup = selectors.subgroup_get(actor=request.actor, pk=pk)
    policy.enforce(request.actor, "can_manage_class", subgroup.school_class)
    return subgroup


@access_rule("can_view_class")
def subgroup_edit(request: ActorRequest, pk: int) -> HttpResponse:
    actor = request.actor
    subgroup = _managed_subgroup(request, pk)
    back = reverse("people:class_detail", args=[subgroup.school_class_id])
    return form_flow(
        request,
        SubgroupForm(request.POST or None, initial={"name": subgroup.name}),
        lambda data: services.subgroup_rename(subgroup=subgroup, name=data["name"], actor=actor),
        success=_("Подгруппа переименована."),
        done=lambda _sg: back,
        title=_("Подгруппа «%(name)s»") % {"name": subgroup.name},
        back=back,
        submit=_("Сохранить"),
        delete_url=reverse("people:subgroup_delete", args=[subgroup.pk]),
        delete_note=_("Удалить можно только подгруппу, в которой никогда не было обучающихся."),
        delete_label=_("Удалить подгруппу"),
    )


@require_POST
@access_rule("can_view_class")
def subgroup_delete(request: ActorRequest, pk: int) -> HttpResponse:
    subgroup = _managed_subgroup(request, pk)
    class_id = subgroup.school_class_id
    deleted = run_or_message(
        request,
        lambda: services.subgroup_delete(subgroup=subgroup, actor=request.actor),
        _("Подгруппа удалена."),
    )
    if not deleted:
        return redirect("people:subgroup_edit", pk=pk)
    return redirect("people:class_detail", pk=class_id)


@access_rule("can_view_class")
def subgroup_members(request: ActorRequest, pk: int) -> HttpResponse:
    actor = request.actor
    subgroup = _managed_subgroup(request, pk)
    enrolments = selectors.class_enrolments(school_class=subgroup.school_class)
    initial = {"students": sorted(selectors.subgroup_member_ids(subgroup=subgroup))}
    form = SubgroupMembersForm(request.POST or None, initial=initial, enrolments=enrolments)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        ok, _result = run(
            form,
            lambda: services.subgroup_member_set(
                subgroup=subgroup, student_ids=data["students"], on_date=data["on_date"], actor=actor
            ),
        )
        if ok:
            messages.success(request, _("Состав подгруппы сохранён."))
            return redirect("people:class_detail", pk=subgroup.school_class_id)
    context = {
        "subgroup": subgroup,
        "form": form,
        "back": reverse("people:class_detail", args=[subgroup.school_class_id]),
    }
    return render(request, "people/subgroup_members.html", context)
