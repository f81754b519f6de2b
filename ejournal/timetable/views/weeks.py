"""Week views of a class, a teacher and a room; the teacher's «Сегодня»."""

from __future__ import annotations

import datetime as dt

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from ejournal.access import policy
from ejournal.access.decorators import access_rule
from ejournal.access.http import ActorRequest

from .. import selectors
from ..calendar import Bells
from ..grids import Week, lesson_grid


def _week_page(request, *, title, lessons, subject_kind, subject, bells=None, cls=None) -> HttpResponse:
    week = Week.parse(request.GET.get("week"))
    items = list(lessons(week.monday, week.monday + dt.timedelta(days=6)))
    context = {
        "title": title,
        "week": week,
        "grid": lesson_grid(items, week, bells=bells, cls=cls),
        "kind": subject_kind,
        "subject": subject,
        "can_plan": policy.check(request.actor, "can_plan_timetable"),
    }
    return render(request, "timetable/week.html", context)


@access_rule("can_view_timetable")
def home(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    context = {
        "classes": selectors.classes_visible(actor=actor),
        "teachers": selectors.school_teachers(school_id=actor.school_id_required)
        if policy.check(actor, "can_view_room_timetable")
        else [],
        "rooms": selectors.rooms_list(actor=actor) if policy.check(actor, "can_view_room_timetable") else [],
        "can_plan": policy.check(actor, "can_plan_timetable"),
        "own_today": policy.check(actor, "can_view_own_lessons"),
    }
    return render(request, "timetable/home.html", context)


@access_rule("can_view_timetable")
def class_week(request: ActorRequest, class_id: int) -> HttpResponse:
    cls = selectors.class_get(actor=request.actor, pk=class_id)

    def lessons(first, last):
        return selectors.lessons_between(school_id=cls.school_id, first=first, last=last).filter(school_class=cls)

    return _week_page(
        request, title=str(cls), lessons=lessons, subject_kind="class", subject=cls, bells=Bells(cls.school_id), cls=cls
    )


@access_rule("can_view_teacher_timetable")
def teacher_week(request: ActorRequest, teacher_id: int) -> HttpResponse:
    teacher = selectors.teacher_get(actor=request.actor, pk=teacher_id)
    school_id = request.actor.school_id_required

    def lessons(first, last):
        return selectors.lessons_of_teacher(school_id=school_id, teacher_id=teacher.pk, first=first, last=last)

    return _week_page(request, title=teacher.get_full_name(), lessons=lessons, subject_kind="teacher", subject=teacher)


@access_rule("can_view_room_timetable")
def room_week(request: ActorRequest, room_id: int) -> HttpResponse:
    room = selectors.room_get(actor=request.actor, pk=room_id)

    def lessons(first, last):
        return selectors.lessons_between(school_id=room.school_id, first=first, last=last).filter(room=room)

    return _week_page(request, title=str(room), lessons=lessons, subject_kind="room", subject=room)


@access_rule("can_view_own_lessons")
def today(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    day = timezone.localdate()
    rows = selectors.teacher_day(actor=actor, day=day)
    return render(request, "timetable/today.html", {"day": day, "rows": rows, "teacher_id": actor.user_id})
