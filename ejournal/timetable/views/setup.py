"""Rooms and bell schedules of the school."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ejournal.access.decorators import access_rule
from ejournal.access.http import ActorRequest
from ejournal.core.views import run

from .. import selectors, services
from ..forms import BellScheduleForm, RoomForm


@access_rule("can_plan_timetable")
def rooms(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    form = RoomForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        school = selectors.school_of(actor)
        ok, _room = run(form, lambda: services.room_create(school=school, **form.cleaned_data, actor=actor))
        if ok:
            messages.success(request, _("Кабинет добавлен."))
            return redirect("timetable:rooms")
    context = {"form": form, "rooms": selectors.rooms_list(actor=actor)}
    return render(request, "timetable/rooms.html", context, status=400 if form.errors else 200)


@access_rule("can_plan_timetable")
def room_edit(request: ActorRequest, pk: int) -> HttpResponse:
    actor = request.actor
    room = selectors.room_get(actor=actor, pk=pk)
    form = RoomForm(request.POST or None, initial={"name": room.name, "capacity": room.capacity})
    if request.method == "POST" and form.is_valid():
        ok, _room = run(form, lambda: services.room_update(room=room, **form.cleaned_data, actor=actor))
        if ok:
            messages.success(request, _("Кабинет сохранён."))
            return redirect("timetable:rooms")
    return render(request, "timetable/room_edit.html", {"form": form, "room": room}, status=400 if form.errors else 200)


@access_rule("can_plan_timetable")
def bells(request: ActorRequest) -> HttpResponse:
    return render(request, "timetable/bells.html", {"schedules": selectors.bell_schedules(actor=request.actor)})


@access_rule("can_plan_timetable")
def bell_schedule_new(request: ActorRequest) -> HttpResponse:
    return _bell_schedule_page(request, None)


@access_rule("can_plan_timetable")
def bell_schedule_edit(request: ActorRequest, pk: int) -> HttpResponse:
    return _bell_schedule_page(request, selectors.bell_schedule_get(actor=request.actor, pk=pk))


def _bell_schedule_page(request: ActorRequest, schedule) -> HttpResponse:
    actor = request.actor
    initial = {}
    if schedule is not None:
        initial = {f: getattr(schedule, f) for f in ("name", "shift", "min_grade", "max_grade", "is_shortened")}
        for bell in schedule.bells.all():
            initial |= {f"start_{bell.number}": bell.starts_at, f"end_{bell.number}": bell.ends_at}
    form = BellScheduleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if not k.startswith(("start_", "end_"))}
        school = selectors.school_of(actor)
        ok, _saved = run(
            form, lambda: services.bell_schedule_save(school=school, schedule=schedule, **data, actor=actor)
        )
        if ok:
            messages.success(request, _("Расписание звонков сохранено."))
            return redirect("timetable:bells")
    context = {"form": form, "schedule": schedule}
    return render(request, "timetable/bell_schedule.html", context, status=400 if form.errors else 200)
