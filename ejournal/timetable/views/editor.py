"""The deputy head's weekly timetable editor: a grid of cells edited in place with htmx."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from ejournal.access.decorators import access_rule
from ejournal.access.http import ActorRequest
from ejournal.core.views import run

from .. import selectors, services
from ..calendar import Bells, SchoolCalendar
from ..forms import CellForm, CopyDayForm
from ..grids import entry_grid, hours_table


def _valid_from(request: ActorRequest, cls) -> dt.date:
    """The date changes take effect from: `?from=`, else today, kept within the class's year."""
    year = cls.year
    try:
        day = dt.date.fromisoformat(request.GET.get("from") or request.POST.get("valid_from") or "")
    except ValueError:
        day = timezone.localdate()
    return min(max(day, year.starts_on), year.ends_on)


def _context(request: ActorRequest, cls, valid_from: dt.date, **panel) -> dict:
    entries = services.entries_at(school_class=cls, day=valid_from)
    days = SchoolCalendar.load(cls.school, cls.year).days_per_week(cls.grade)
    assignments = list(selectors.class_assignments(school_class=cls, day=valid_from))
    return {
        "cls": cls,
        "valid_from": valid_from,
        "grid": entry_grid(entries, days, bells=Bells(cls.school_id), cls=cls),
        "hours": hours_table(entries, assignments, selectors.curriculum_lines(school_class=cls)),
        "copy_form": panel.pop("copy_form", None) or CopyDayForm(initial={"valid_from": valid_from}),
        **panel,
    }


def _render(request: ActorRequest, cls, valid_from: dt.date, status: int = 200, **panel) -> HttpResponse:
    template = "timetable/partials/editor_body.html" if request.htmx else "timetable/editor.html"
    return render(request, template, _context(request, cls, valid_from, **panel), status=status)


@access_rule("can_plan_timetable")
def editor(request: ActorRequest, class_id: int) -> HttpResponse:
    cls = selectors.class_for_planning(actor=request.actor, pk=class_id)
    return _render(request, cls, _valid_from(request, cls))


def _cell_form(request: ActorRequest, cls, weekday: int, number: int, valid_from: dt.date) -> CellForm:
    assignments = selectors.class_assignments(school_class=cls, day=valid_from)
    rooms = selectors.rooms_list(actor=request.actor)
    if request.method == "POST":
        return CellForm(request.POST, assignments=assignments, rooms=rooms)
    current = services.entries_at(school_class=cls, day=valid_from).get((weekday, number), [])
    initial: dict[str, object] = {"valid_from": valid_from}
    for suffix, e in zip(("", "2"), current, strict=False):
        initial |= {
            f"assignment{suffix}": e.assignment_id,
            f"room{suffix}": e.room_id,
            f"week_parity{suffix}": e.week_parity,
        }
    return CellForm(initial=initial, assignments=assignments, rooms=rooms)


def _items(data: dict) -> list[services.Item]:
    return [
        services.Item(data[f"assignment{s}"], data[f"room{s}"], data[f"week_parity{s}"])
        for s in ("", "2")
        if data.get(f"assignment{s}")
    ]


@access_rule("can_plan_timetable")
def cell(request: ActorRequest, class_id: int, weekday: int, number: int) -> HttpResponse:
    """GET: the cell's form in the side panel; POST: check, then save (or ask to confirm the warnings)."""
    cls = selectors.class_for_planning(actor=request.actor, pk=class_id)
    valid_from = _valid_from(request, cls)
    form = _cell_form(request, cls, weekday, number, valid_from)
    panel: dict[str, Any] = {"form": form, "weekday": weekday, "number": number}
    if request.method != "POST":
        if request.htmx:
            return render(request, "timetable/partials/cell_form.html", {"cls": cls, "valid_from": valid_from, **panel})
        return _render(request, cls, valid_from, **panel)
    if not form.is_valid():
        return _render(request, cls, valid_from, status=400, **panel)
    valid_from = form.cleaned_data["valid_from"]
    ok, outcome = run(
        form,
        lambda: services.timetable_cell_set(
            school_class=cls, weekday=weekday, lesson_number=number, items=_items(form.cleaned_data),
            valid_from=valid_from, confirmed=form.cleaned_data["confirm"], actor=request.actor,
        ),
    )  # fmt: skip
    if not ok:
        return _render(request, cls, valid_from, status=400, **panel)
    if not outcome.saved:
        return _render(request, cls, valid_from, warnings=outcome.warnings, **panel)
    return _done(request, cls, valid_from)


def _done(request: ActorRequest, cls, valid_from: dt.date) -> HttpResponse:
    if request.htmx:
        return _render(request, cls, valid_from, saved=True)
    return redirect(f"{reverse('timetable:editor', args=[cls.pk])}?from={valid_from.isoformat()}")


@require_POST
@access_rule("can_plan_timetable")
def cell_clear(request: ActorRequest, class_id: int, weekday: int, number: int) -> HttpResponse:
    cls = selectors.class_for_planning(actor=request.actor, pk=class_id)
    valid_from = _valid_from(request, cls)
    try:
        services.timetable_cell_set(
            school_class=cls, weekday=weekday, lesson_number=number, items=[], valid_from=valid_from,
            confirmed=True, actor=request.actor,
        )  # fmt: skip
    except ValidationError as exc:
        return _render(request, cls, valid_from, status=400, panel_errors=exc.messages)
    return _done(request, cls, valid_from)


@require_POST
@access_rule("can_plan_timetable")
def copy_day(request: ActorRequest, class_id: int) -> HttpResponse:
    cls = selectors.class_for_planning(actor=request.actor, pk=class_id)
    form = CopyDayForm(request.POST)
    valid_from = _valid_from(request, cls)
    if not form.is_valid():
        return _render(request, cls, valid_from, status=400, copy_form=form)
    data = form.cleaned_data
    ok, outcome = run(
        form,
        lambda: services.timetable_day_copy(
            school_class=cls, weekday_from=data["weekday_from"], weekday_to=data["weekday_to"],
            valid_from=data["valid_from"], confirmed=data["confirm"], actor=request.actor,
        ),
    )  # fmt: skip
    if not ok:
        return _render(request, cls, valid_from, status=400, copy_form=form)
    if not outcome.saved:
        return _render(request, cls, valid_from, copy_form=form, copy_warnings=outcome.warnings)
    return _done(request, cls, data["valid_from"])
