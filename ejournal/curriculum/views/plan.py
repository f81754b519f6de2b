"""Subjects, the curriculum grid with its edit page per grade, the study week."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ejournal.access import policy
from ejournal.access.decorators import access_rule
from ejournal.access.http import ActorRequest
from ejournal.core.views import button_flow, form_flow
from ejournal.schools.selectors import school_of, year_current

from .. import selectors, services
from ..forms import GradeCurriculumForm, StudyWeekForm, SubjectForm


def school_and_year(request: ActorRequest):
    """The actor's school and its current year; 404 when no year is set."""
    school = school_of(request.actor)
    year = year_current(school=school)
    if year is None:
        raise Http404(_("Текущий учебный год не задан."))
    return school, year


@access_rule("can_view_school_plan")
def subjects(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    context = {
        "subjects": list(selectors.subjects_visible(actor=actor)),
        "can_edit": policy.check(actor, "can_plan_school"),
    }
    return render(request, "curriculum/subjects.html", context)


@access_rule("can_plan_school")
def subject_create(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    school = school_of(actor)
    return form_flow(
        request,
        SubjectForm(request.POST or None),
        lambda data: services.subject_create(school=school, **data, actor=actor),
        success=_("Предмет добавлен."),
        done=reverse("curriculum:subjects"),
        title=_("Новый предмет школы"),
        submit=_("Добавить"),
    )


@access_rule("can_plan_school")
def subject_edit(request: ActorRequest, pk: int) -> HttpResponse:
    actor = request.actor
    subject = selectors.subject_get_own(actor=actor, pk=pk)
    policy.enforce(actor, "can_plan_school", subject)
    initial = {"name": subject.name, "short_name": subject.short_name}
    return form_flow(
        request,
        SubjectForm(request.POST or None, initial=initial),
        lambda data: services.subject_update(subject=subject, **data, actor=actor),
        success=_("Изменения сохранены."),
        done=reverse("curriculum:subjects"),
        title=subject.name,
        submit=_("Сохранить"),
    )


@require_POST
@access_rule("can_plan_school")
def subject_toggle(request: ActorRequest, pk: int) -> HttpResponse:
    actor = request.actor
    subject = selectors.subject_get_own(actor=actor, pk=pk)
    policy.enforce(actor, "can_plan_school", subject)
    active = not subject.is_active
    return button_flow(
        request,
        lambda: services.subject_set_active(subject=subject, is_active=active, actor=actor),
        success=_("Предмет снова используется.") if active else _("Предмет больше не используется."),
        done=reverse("curriculum:subjects"),
    )


@access_rule("can_view_school_plan")
def grid(request: ActorRequest) -> HttpResponse:
    school, year = school_and_year(request)
    context = {
        "year": year,
        **selectors.curriculum_grid(school=school, year=year),
        "can_edit": policy.check(request.actor, "can_plan_school"),
    }
    return render(request, "curriculum/grid.html", context)


@access_rule("can_plan_school")
def grade_edit(request: ActorRequest, grade: int) -> HttpResponse:
    actor = request.actor
    school, year = school_and_year(request)
    if not 1 <= grade <= min(11, school.max_grade):
        raise Http404
    lines = selectors.grade_lines(school=school, year=year, grade=grade)
    form = GradeCurriculumForm(request.POST or None, subject_lines=lines)
    return form_flow(
        request,
        form,
        lambda _data: services.curriculum_grade_set(school=school, grade=grade, lines=form.lines(), actor=actor),
        success=_("Учебный план сохранён."),
        done=reverse("curriculum:grid"),
        title=_("Учебный план: %(grade)s класс") % {"grade": grade},
        submit=_("Сохранить"),
        intro=_("Часы в неделю с шагом 0,5; пустое поле — предмет не изучается."),
        template="curriculum/grade_form.html",
    )


@access_rule("can_plan_school")
def study_week(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    school, year = school_and_year(request)
    form = StudyWeekForm(request.POST or None, days_by_grade=selectors.study_week_days(school=school, year=year))
    return form_flow(
        request,
        form,
        lambda _data: services.study_week_set(school=school, days_by_grade=form.days_by_grade(), actor=actor),
        success=_("Учебная неделя сохранена."),
        done=reverse("schools:year"),
        title=_("Учебная неделя"),
        submit=_("Сохранить"),
        intro=_("Пять или шесть учебных дней в неделю для каждой параллели. Первый класс учится пять дней."),
    )
