"""The rollout schedule pages and the municipality's list of software complexes."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from ejournal.access import policy
from ejournal.access.decorators import access_rule
from ejournal.access.http import ActorRequest
from ejournal.core.views import form_flow

from .. import selectors, services
from ..exports import XLSX, rollout_xlsx, status_labels
from ..forms import ComplexForm, RolloutForm
from ..models import SoftwareComplex, Stage


def _district_filter(request: ActorRequest) -> int | None:
    value = request.GET.get("district", "")
    return int(value) if value.isdigit() else None


@access_rule("can_view_rollout")
def rollout(request: ActorRequest) -> HttpResponse:
    district_id = _district_filter(request)
    late_only = request.GET.get("late") == "1"
    rows = selectors.rollout_rows(actor=request.actor, district_id=district_id, late_only=late_only)
    context = {
        "rows": rows,
        "stages": Stage.choices,
        "districts": selectors.districts_reached(actor=request.actor),
        "district_id": district_id,
        "late_only": late_only,
        "status_labels": status_labels(),
        "can_edit": policy.check(request.actor, "can_edit_rollout"),
        "can_manage_complexes": policy.check(request.actor, "can_manage_software_complexes"),
    }
    return render(request, "city/rollout.html", context)


@access_rule("can_view_rollout")
def rollout_export(request: ActorRequest) -> HttpResponse:
    district_id = _district_filter(request)
    rows = selectors.rollout_rows(actor=request.actor, district_id=district_id)
    districts = [d.name for d in selectors.districts_reached(actor=request.actor) if district_id in (None, d.pk)]
    response = HttpResponse(rollout_xlsx(rows, districts=districts), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="rollout.xlsx"'
    return response


@access_rule("can_edit_rollout")
def rollout_school(request: ActorRequest, pk: int) -> HttpResponse:
    school = selectors.rollout_school_get(actor=request.actor, pk=pk)
    rollout, stages = selectors.school_rollout_of(school)
    initial: dict[str, object] = {
        "complex": rollout.complex_id if rollout else None,
        "school_responsible": rollout.school_responsible if rollout else "",
        "district_responsible": rollout.district_responsible if rollout else "",
        "comment": rollout.comment if rollout else "",
    }
    for key, stage in stages.items():
        initial[f"{key}_planned"] = stage.planned_on if stage else None
        initial[f"{key}_actual"] = stage.actual_on if stage else None
    form = RolloutForm(
        request.POST or None, initial=initial, complexes=_complexes_of(school), facts=selectors.rollout_facts(school)
    )

    def call(data):
        return services.rollout_save(
            school=school,
            complex=data["complex"],
            school_responsible=data["school_responsible"],
            district_responsible=data["district_responsible"],
            comment=data["comment"],
            stages=form.stages(),
            actor=request.actor,
            confirmed=form.confirmed(),
        )

    return form_flow(
        request,
        form,
        call,
        success=_("График школы сохранён."),
        done=reverse("city:rollout"),
        title=_("График внедрения: %(school)s") % {"school": school.short_name},
        submit=_("Сохранить"),
    )


def _complexes_of(school):
    return SoftwareComplex.objects.filter(municipality_id=school.municipality_id)


@access_rule("can_manage_software_complexes")
def complexes(request: ActorRequest) -> HttpResponse:
    form = ComplexForm(request.POST or None)

    def call(data):
        return services.complex_save(
            municipality_id=request.actor.municipality_id_required, actor=request.actor, **data
        )

    if request.method == "POST":
        return form_flow(
            request,
            form,
            call,
            success=_("Комплекс добавлен."),
            done=reverse("city:complexes"),
            title=_("Программные комплексы"),
            submit=_("Добавить"),
        )
    context = {"complexes": selectors.complexes_list(actor=request.actor), "form": form}
    return render(request, "city/complexes.html", context)


@access_rule("can_manage_software_complexes")
def complex_edit(request: ActorRequest, pk: int) -> HttpResponse:
    item = selectors.complex_get(actor=request.actor, pk=pk)
    initial = {"name": item.name, "vendor": item.vendor, "is_this_system": item.is_this_system}
    form = ComplexForm(request.POST or None, initial=initial)

    def call(data):
        return services.complex_save(municipality_id=item.municipality_id, complex=item, actor=request.actor, **data)

    return form_flow(
        request,
        form,
        call,
        success=_("Комплекс сохранён."),
        done=reverse("city:complexes"),
        title=_("Программный комплекс: %(name)s") % {"name": item.name},
        submit=_("Сохранить"),
    )
