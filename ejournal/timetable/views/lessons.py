"""Changes of one dated lesson (substitution, cancellation, move), extra lessons, and lesson generation."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ejournal.access.decorators import access_rule
from ejournal.access.http import ActorRequest
from ejournal.core.views import run

from .. import selectors, services
from ..forms import CancelForm, ExtraLessonForm, GenerateForm, MoveForm, SubstituteForm


def _forms(request: ActorRequest, lesson, bound: str | None = None) -> dict:
    actor = request.actor
    data = request.POST if bound else None
    teachers = selectors.school_teachers(school_id=actor.school_id_required, day=lesson.date).exclude(
        pk=lesson.teacher_id
    )
    rooms = selectors.rooms_list(actor=actor)
    return {
        "substitute_form": SubstituteForm(
            data if bound == "substitute" else None, teachers=teachers, initial={"substitute": lesson.substitute_id}
        ),
        "cancel_form": CancelForm(data if bound == "cancel" else None),
        "move_form": MoveForm(data if bound == "move" else None, rooms=rooms),
    }


def _lesson_page(request: ActorRequest, lesson, bound: str | None = None, status: int = 200, forms=None):
    context = {"lesson": lesson, **(forms or _forms(request, lesson, bound))}
    return render(request, "timetable/lesson.html", context, status=status)


@access_rule("can_plan_timetable")
def lesson(request: ActorRequest, pk: int) -> HttpResponse:
    return _lesson_page(request, selectors.lesson_for_planning(actor=request.actor, pk=pk))


def _change(request: ActorRequest, pk: int, kind: str, call, success: str) -> HttpResponse:
    lesson_ = selectors.lesson_for_planning(actor=request.actor, pk=pk)
    forms = _forms(request, lesson_, kind)
    form = forms[f"{kind}_form"]
    if form.is_valid():
        ok, _result = run(form, lambda: call(lesson_, form.cleaned_data))
        if ok:
            messages.success(request, success)
            return redirect(_week_url(lesson_.school_class_id, lesson_.date))
    return _lesson_page(request, lesson_, status=400, forms=forms)


def _week_url(class_id: int, day: dt.date) -> str:
    return f"{reverse('timetable:class_week', args=[class_id])}?week={day.isoformat()}"


@require_POST
@access_rule("can_plan_timetable")
def lesson_substitute(request: ActorRequest, pk: int) -> HttpResponse:
    def call(lesson_, data):
        return services.lesson_substitute(
            lesson=lesson_, substitute=data["substitute"], note=data["note"], actor=request.actor
        )

    return _change(request, pk, "substitute", call, _("Замена сохранена."))


@require_POST
@access_rule("can_plan_timetable")
def lesson_cancel(request: ActorRequest, pk: int) -> HttpResponse:
    def call(lesson_, data):
        return services.lesson_cancel(lesson=lesson_, reason=data["reason"], actor=request.actor)

    return _change(request, pk, "cancel", call, _("Урок отменён."))


@require_POST
@access_rule("can_plan_timetable")
def lesson_move(request: ActorRequest, pk: int) -> HttpResponse:
    def call(lesson_, data):
        return services.lesson_move(lesson=lesson_, **data, actor=request.actor)

    return _change(request, pk, "move", call, _("Урок перенесён."))


@access_rule("can_plan_timetable")
def extra_lesson(request: ActorRequest, class_id: int) -> HttpResponse:
    actor = request.actor
    cls = selectors.class_for_planning(actor=actor, pk=class_id)
    day = min(max(timezone.localdate(), cls.year.starts_on), cls.year.ends_on)
    assignments = selectors.class_assignments(school_class=cls, day=day)
    form = ExtraLessonForm(request.POST or None, assignments=assignments, rooms=selectors.rooms_list(actor=actor))
    if request.method == "POST" and form.is_valid():
        ok, created = run(form, lambda: services.lesson_add_extra(**form.cleaned_data, actor=actor))
        if ok:
            messages.success(request, _("Дополнительный урок добавлен."))
            return redirect(_week_url(cls.pk, created.date))
    return render(
        request, "timetable/extra_lesson.html", {"form": form, "cls": cls}, status=400 if form.errors else 200
    )


@access_rule("can_plan_timetable")
def generate(request: ActorRequest) -> HttpResponse:
    """Choose the whole year or a term, run generation, see the counts and the conflicts."""
    actor = request.actor
    terms = list(selectors.school_terms(actor=actor))
    form = GenerateForm(request.POST or None, terms=terms)
    if request.method == "POST" and form.is_valid():
        school = selectors.school_of(actor)
        period = form.cleaned_data["period"]
        if period == "year":
            year = selectors.year_of(school)
            first, last = year.starts_on, year.ends_on
        else:
            term = get_object_or_404(selectors.school_terms(actor=actor), pk=int(period.removeprefix("term-")))
            first, last = term.starts_on, term.ends_on
        ok, _result = run(
            form, lambda: services.lessons_generate(school=school, date_from=first, date_to=last, actor=actor)
        )
        if ok:
            messages.success(request, _("Уроки сформированы."))
            return redirect("timetable:generate")
    runs = list(selectors.generation_runs(actor=actor)[:10])
    context = {"form": form, "runs": runs, "last": runs[0] if runs else None}
    return render(request, "timetable/generate.html", context, status=400 if form.errors else 200)
