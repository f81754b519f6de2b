"""Teaching assignments: the school's lists by class and by teacher, create, reassign, end; «Моя нагрузка»."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ejournal.access import policy
from ejournal.access.decorators import access_rule
from ejournal.access.http import ActorRequest
from ejournal.core.views import form_flow

from .. import selectors, services
from ..forms import AssignmentEndForm, AssignmentForm, ReassignForm
from .plan import school_and_year


@access_rule("can_view_school_plan")
def assignments(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    _school, year = school_and_year(request)
    by_teacher = request.GET.get("by") == "teacher"
    if by_teacher:
        groups = selectors.assignments_by_teacher(actor=actor, year=year)
    else:
        groups = selectors.assignments_by_class(actor=actor, year=year)
    context = {
        "year": year,
        "groups": groups,
        "by_teacher": by_teacher,
        "can_edit": policy.check(actor, "can_plan_school"),
    }
    return render(request, "curriculum/assignments.html", context)


@access_rule("can_plan_school")
def assignment_create(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    school, year = school_and_year(request)
    form = AssignmentForm(
        request.POST or None,
        initial={"starts_on": max(year.starts_on, min(year.ends_on, timezone.localdate()))},
        teachers=selectors.teachers_of_school(school_id=school.pk),
        classes=selectors.classes_of_year(school_id=school.pk, year=year),
        subgroups=selectors.subgroups_of_year(school_id=school.pk, year=year),
        subjects=selectors.subjects_offered(school_id=school.pk),
    )
    return form_flow(
        request,
        form,
        lambda data: services.assignment_create(school=school, **data, actor=actor),
        success=_("Нагрузка добавлена."),
        done=reverse("curriculum:assignments"),
        title=_("Новая нагрузка"),
        submit=_("Добавить"),
        intro=_("Если предмет ведут несколько учителей (подгруппы), добавьте нагрузку каждому."),
    )


@access_rule("can_plan_school")
def assignment_reassign(request: ActorRequest, pk: int) -> HttpResponse:
    actor = request.actor
    assignment = selectors.assignment_get(actor=actor, pk=pk)
    policy.enforce(actor, "can_plan_school", assignment)
    teachers = selectors.teachers_of_school(school_id=assignment.school_id).exclude(pk=assignment.teacher_id)
    return form_flow(
        request,
        ReassignForm(request.POST or None, teachers=teachers),
        lambda data: services.assignment_reassign(assignment=assignment, **data, actor=actor),
        success=_("Нагрузка передана. Уроки до этой даты остаются за прежним учителем."),
        done=reverse("curriculum:assignments"),
        title=_("Передать нагрузку: %(what)s, %(teacher)s")
        % {"what": assignment, "teacher": assignment.teacher.get_full_name()},
        submit=_("Передать"),
    )


@access_rule("can_plan_school")
def assignment_end(request: ActorRequest, pk: int) -> HttpResponse:
    actor = request.actor
    assignment = selectors.assignment_get(actor=actor, pk=pk)
    policy.enforce(actor, "can_plan_school", assignment)
    return form_flow(
        request,
        AssignmentEndForm(request.POST or None, initial={"ends_on": assignment.ends_on}),
        lambda data: services.assignment_end(assignment=assignment, **data, actor=actor),
        success=_("Дата окончания нагрузки сохранена."),
        done=reverse("curriculum:assignments"),
        title=_("Завершить нагрузку: %(what)s, %(teacher)s")
        % {"what": assignment, "teacher": assignment.teacher.get_full_name()},
        submit=_("Сохранить"),
    )


@access_rule("can_view_own_assignments")
def my_assignments(request: ActorRequest) -> HttpResponse:
    _school, year = school_and_year(request)
    context = {"year": year, **selectors.my_assignments(actor=request.actor, year=year)}
    return render(request, "curriculum/my_assignments.html", context)
