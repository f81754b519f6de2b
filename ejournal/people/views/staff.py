"""Staff: the list with positions and roles, adding a person, more roles, ending an appointment."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from ejournal.access import policy
from ejournal.access.decorators import access_rule
from ejournal.core.views import run

from .. import selectors, services
from ..forms import AppointmentEndForm, AppointmentForm, StaffAddForm
from .common import form_flow, form_page, slips_remember
from .slips import slip_for


@access_rule("can_manage_school")
def staff_list(request: HttpRequest) -> HttpResponse:
    actor = request.actor
    include_former = request.GET.get("former") == "1"
    context = {
        "members": selectors.staff_list(actor=actor, include_former=include_former),
        "include_former": include_former,
        "can_manage": policy.check(actor, "can_manage_staff"),
    }
    return render(request, "people/staff.html", context)


@access_rule("can_manage_staff")
def staff_add(request: HttpRequest) -> HttpResponse:
    actor = request.actor
    school = selectors.school_of(actor)
    form = StaffAddForm(request.POST or None, roles=services.STAFF_ROLES)
    if request.method == "POST" and form.is_valid():
        ok, credential = run(form, lambda: services.staff_add(school=school, **form.cleaned_data, actor=actor))
        if ok:
            member = selectors.staff_member_get(actor=actor, user_id=credential.user_id)
            slips_remember(request, [slip_for(request, member.user, credential, school=school)])
            return redirect("people:slips")
    return form_page(
        request,
        form,
        title=_("Новый сотрудник"),
        back=reverse("people:staff"),
        submit=_("Добавить и выдать логин"),
        intro=_("Сотруднику будет создан логин и одноразовый пароль; лист с ними откроется для печати."),
    )


@access_rule("can_manage_school")
def staff_detail(request: HttpRequest, user_id: int) -> HttpResponse:
    actor = request.actor
    member = selectors.staff_member_get(actor=actor, user_id=user_id)
    context = {"member": member, "can_manage": policy.check(actor, "can_manage_staff")}
    return render(request, "people/staff_detail.html", context)


@access_rule("can_manage_staff")
def appointment_add(request: HttpRequest, user_id: int) -> HttpResponse:
    actor = request.actor
    member = selectors.staff_member_get(actor=actor, user_id=user_id)
    school = selectors.school_of(actor)
    back = reverse("people:staff_detail", args=[user_id])
    return form_flow(
        request,
        AppointmentForm(request.POST or None, roles=services.STAFF_ROLES),
        lambda data: services.appointment_add(user=member.user, school=school, **data, actor=actor),
        success=_("Назначение добавлено."),
        done=lambda _a: back,
        title=_("Новое назначение: %(name)s") % {"name": member.user.get_full_name()},
        back=back,
        submit=_("Назначить"),
    )


@access_rule("can_manage_staff")
def appointment_end(request: HttpRequest, pk: int) -> HttpResponse:
    actor = request.actor
    assignment = selectors.assignment_get(actor=actor, pk=pk)
    back = reverse("people:staff_detail", args=[assignment.user_id])
    return form_flow(
        request,
        AppointmentEndForm(request.POST or None),
        lambda data: services.appointment_end(assignment=assignment, ends_on=data["ends_on"], actor=actor),
        success=_("Назначение завершено; оно останется в истории."),
        done=lambda _a: back,
        title=_("Завершить назначение: %(who)s, %(role)s")
        % {"who": assignment.user.get_full_name(), "role": assignment.get_role_display()},
        back=back,
        submit=_("Завершить"),
    )
