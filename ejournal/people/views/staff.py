"""Staff: the list with positions and roles, adding a person, more roles, ending an appointment."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ejournal.access import policy
from ejournal.access.decorators import access_rule
from ejournal.access.http import ActorRequest
from ejournal.accounts import second_factor
from ejournal.core.views import confirmed, question_page, run

from .. import selectors, services
from ..forms import AppointmentEndForm, AppointmentForm, StaffAddForm
from .common import form_flow, form_page, slips_remember
from .slips import slip_for


@access_rule("can_manage_school")
def staff_list(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    include_former = request.GET.get("former") == "1"
    context = {
        "members": selectors.staff_list(actor=actor, include_former=include_former),
        "include_former": include_former,
        "can_manage": policy.check(actor, "can_manage_staff"),
    }
    return render(request, "people/staff.html", context)


@access_rule("can_manage_staff")
def staff_add(request: ActorRequest) -> HttpResponse:
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
def staff_detail(request: ActorRequest, user_id: int) -> HttpResponse:
    actor = request.actor
    member = selectors.staff_member_get(actor=actor, user_id=user_id)
    context = {
        "member": member,
        "can_manage": policy.check(actor, "can_manage_staff"),
        "second_factor": second_factor.totp_device_of(member.user) is not None,
    }
    return render(request, "people/staff_detail.html", context)


@require_POST
@access_rule("can_manage_staff")
def staff_second_factor_reset(request: ActorRequest, user_id: int) -> HttpResponse:
    """Reset a lost second factor of a person of the school: asked first, recorded with who did it.

    A person who also works beyond the school (a district, the city) is reset by the department:
    their second factor guards more than this school.
    """
    actor = request.actor
    member = selectors.staff_member_get(actor=actor, user_id=user_id)
    back = reverse("people:staff_detail", args=[user_id])
    name = member.user.get_full_name() or member.user.username
    if selectors.appointments_beyond_school(user_id=member.user.pk, school_id=actor.school_id):
        messages.error(
            request,
            _("%(name)s работает и за пределами школы; второй фактор сбрасывает департамент образования.")
            % {"name": name},
        )
        return redirect(back)
    if not confirmed(request):
        return question_page(
            request,
            title=_("Сбросить второй фактор: %(name)s?") % {"name": name},
            lines=[
                _("Приложение на прежнем телефоне и коды восстановления перестанут действовать."),
                _("При следующем входе сотрудник настроит второй фактор заново на новом телефоне."),
                _("Сброс будет записан в журнал изменений с вашим именем."),
            ],
            confirm=_("Сбросить"),
            cancel=back,
        )
    if second_factor.second_factor_remove(user=member.user, actor=actor, school_id=actor.school_id):
        messages.success(request, _("Второй фактор сброшен; сброс записан в журнал изменений."))
    else:
        messages.info(request, _("Второй фактор у сотрудника не был настроен; сбрасывать нечего."))
    return redirect(back)


@access_rule("can_manage_staff")
def appointment_add(request: ActorRequest, user_id: int) -> HttpResponse:
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
def appointment_end(request: ActorRequest, pk: int) -> HttpResponse:
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
