"""The year setup: terms and holidays of the current year, the standard calendar in one click."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ejournal.access import policy
from ejournal.access.decorators import access_rule
from ejournal.access.http import ActorRequest
from ejournal.core.views import button_flow, form_flow

from .. import selectors, services
from ..forms import HolidayForm, TermForm

TERM_INITIAL = ("kind", "number", "starts_on", "ends_on", "min_grade", "max_grade")
HOLIDAY_INITIAL = ("name", "kind", "starts_on", "ends_on", "min_grade", "max_grade")


@access_rule("can_view_school_plan")
def year(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    school = selectors.school_of(actor)
    current = selectors.year_current(school=school)
    context = {
        "school": school,
        "year": current,
        "terms": selectors.terms_of_year(actor=actor, year=current) if current else [],
        "holidays": selectors.holidays_of_year(school=school, year=current) if current else [],
        "can_edit": policy.check(actor, "can_plan_school"),
    }
    return render(request, "schools/year.html", context)


def _back() -> str:
    return reverse("schools:year")


@access_rule("can_plan_school")
def term_create(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    school = selectors.school_of(actor)
    return form_flow(
        request,
        TermForm(request.POST or None),
        lambda data: services.term_create(school=school, **data, actor=actor),
        success=_("Учебный период добавлен."),
        done=_back(),
        title=_("Новый учебный период"),
        submit=_("Добавить"),
    )


@access_rule("can_plan_school")
def term_edit(request: ActorRequest, pk: int) -> HttpResponse:
    actor = request.actor
    term = selectors.term_get(actor=actor, pk=pk)
    policy.enforce(actor, "can_plan_school", term)
    initial = {name: getattr(term, name) for name in TERM_INITIAL}
    return form_flow(
        request,
        TermForm(request.POST or None, initial=initial),
        lambda data: services.term_update(term=term, **data, actor=actor),
        success=_("Изменения сохранены."),
        done=_back(),
        title=_("Учебный период: %(term)s") % {"term": term},
        submit=_("Сохранить"),
        delete_url=reverse("schools:term_delete", args=[term.pk]),
    )


@require_POST
@access_rule("can_plan_school")
def term_delete(request: ActorRequest, pk: int) -> HttpResponse:
    actor = request.actor
    term = selectors.term_get(actor=actor, pk=pk)
    policy.enforce(actor, "can_plan_school", term)
    call = lambda: services.term_delete(term=term, actor=actor)  # noqa: E731
    return button_flow(request, call, success=_("Учебный период удалён."), done=_back())


@access_rule("can_plan_school")
def holiday_create(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    school = selectors.school_of(actor)
    return form_flow(
        request,
        HolidayForm(request.POST or None),
        lambda data: services.holiday_create(school=school, **data, actor=actor),
        success=_("Каникулы добавлены."),
        done=_back(),
        title=_("Каникулы или праздничный день"),
        submit=_("Добавить"),
    )


@access_rule("can_plan_school")
def holiday_edit(request: ActorRequest, pk: int) -> HttpResponse:
    actor = request.actor
    holiday = selectors.holiday_get(actor=actor, pk=pk)
    policy.enforce(actor, "can_plan_school", holiday)
    initial = {name: getattr(holiday, name) for name in HOLIDAY_INITIAL}
    return form_flow(
        request,
        HolidayForm(request.POST or None, initial=initial),
        lambda data: services.holiday_update(holiday=holiday, **data, actor=actor),
        success=_("Изменения сохранены."),
        done=_back(),
        title=holiday.name,
        submit=_("Сохранить"),
        delete_url=reverse("schools:holiday_delete", args=[holiday.pk]),
    )


@require_POST
@access_rule("can_plan_school")
def holiday_delete(request: ActorRequest, pk: int) -> HttpResponse:
    actor = request.actor
    holiday = selectors.holiday_get(actor=actor, pk=pk)
    policy.enforce(actor, "can_plan_school", holiday)
    call = lambda: services.holiday_delete(holiday=holiday, actor=actor)  # noqa: E731
    return button_flow(request, call, success=_("Запись удалена."), done=_back())


@require_POST
@access_rule("can_plan_school")
def standard_fill(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    school = selectors.school_of(actor)
    call = lambda: services.year_fill_standard(school=school, actor=actor)  # noqa: E731
    return button_flow(request, call, success=_("Стандартный календарь заполнен."), done=_back())
