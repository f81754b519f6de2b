"""The Regulation pages: the exemplary one (the department), the school's own (the director), the coordinator."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from ejournal.access import policy
from ejournal.access.decorators import access_rule
from ejournal.access.http import ActorRequest
from ejournal.core.views import form_flow
from ejournal.schools.models import Municipality

from . import selectors, services
from .forms import AdoptForm, CoordinatorForm, ExemplaryForm
from .models import NORM_FIELDS, Regulation


def _norm_values(regulation: Regulation | None) -> dict:
    if regulation is None:
        return selectors.norms_by_default()
    return {name: getattr(regulation, name) for name in NORM_FIELDS}


@access_rule("can_view_exemplary_regulation")
def exemplary(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    regulation = selectors.exemplary_get(actor=actor)
    context = {
        "regulation": regulation,
        "rows": selectors.norm_rows(regulation or selectors.norms_by_default(), None),
        "can_edit": policy.check(actor, "can_edit_exemplary_regulation"),
        "exemplary": True,
    }
    return render(request, "regulation/document.html", context)


@access_rule("can_edit_exemplary_regulation")
def exemplary_edit(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    city = Municipality.objects.filter(pk=actor.municipality_id).first() if actor.municipality_id else None
    if city is None:
        raise PermissionDenied
    current = selectors.exemplary_get(actor=actor)
    initial = {"title": current.title if current else "", **_norm_values(current)}
    form = ExemplaryForm(request.POST or None, initial=initial)
    return form_flow(
        request, form,
        lambda data: services.exemplary_save(
            municipality=city, values=data, title=data.get("title", ""), actor=actor
        ),
        success=_("Примерное положение сохранено."),
        done=reverse("regulation:exemplary"),
        title=_("Примерное положение о ведении электронных журналов"),
        submit=_("Сохранить"),
    )  # fmt: skip


@access_rule("can_view_school_regulation")
def school(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    own = selectors.school_regulation_get(actor=actor)
    base = selectors.exemplary_get(actor=actor)
    defaults = selectors.norms_by_default()
    context = {
        "school": selectors.school_of_actor(actor=actor),
        "regulation": own,
        "rows": selectors.norm_rows(own or base or defaults, (base or defaults) if own else None),
        "appointments": selectors.coordinator_appointments(actor=actor),
        "unrecorded": selectors.coordinators_without_order(actor=actor),
        "base_is_default": base is None,
        "can_adopt": policy.check(actor, "can_adopt_school_regulation"),
        "exemplary": False,
    }
    return render(request, "regulation/document.html", context)


@access_rule("can_adopt_school_regulation")
def adopt(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    school_ = selectors.school_of_actor(actor=actor)
    own = selectors.school_regulation_get(actor=actor)
    base = selectors.exemplary_get(actor=actor)
    initial = _norm_values(own or base)
    if own is not None:
        initial.update(order_number=own.order_number, adopted_on=own.adopted_on)
    form = AdoptForm(request.POST or None, initial=initial)
    rows = selectors.norm_rows(own or base or selectors.norms_by_default(), base or selectors.norms_by_default())
    for row in rows:
        row["field"] = form[row["name"]]
    return form_flow(
        request, form,
        lambda data: services.school_regulation_adopt(
            school=school_, values=data, adopted_on=data["adopted_on"], order_number=data["order_number"],
            actor=actor,
        ),
        success=_("Положение школы утверждено."),
        done=reverse("regulation:school"),
        title=_("Утверждение положения школы"),
        submit=_("Утвердить"),
        template="regulation/adopt.html",
        rows=rows, base=base,
    )  # fmt: skip


@access_rule("can_adopt_school_regulation")
def coordinator(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    school_ = selectors.school_of_actor(actor=actor)
    form = CoordinatorForm(request.POST or None, staff=selectors.school_staff(actor=actor))
    return form_flow(
        request, form,
        lambda data: services.coordinator_appoint(
            school=school_, user=data["user"], order_number=data["order_number"], order_date=data["order_date"],
            starts_on=data["starts_on"] or data["order_date"], actor=actor,
        ),
        success=_("Ответственный за электронный журнал назначен."),
        done=reverse("regulation:school"),
        title=_("Назначение ответственного за электронный журнал"),
        submit=_("Назначить"),
    )  # fmt: skip
