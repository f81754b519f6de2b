"""The thematic plan of an assignment: paste or upload topics, reorder, delete; plan against fact."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ejournal.access.decorators import access_rule
from ejournal.core.views import button_flow, run

from .. import selectors, services
from ..forms import MoveForm, PlanImportForm


def _plan_url(assignment) -> str:
    return reverse("journal:plan", kwargs={"assignment_id": assignment.pk})


@access_rule("can_view_journal")
def plan(request: HttpRequest, assignment_id: int) -> HttpResponse:
    assignment = selectors.assignment_get(actor=request.actor, pk=assignment_id)
    form = PlanImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        ok, _plan = run(
            form,
            lambda: services.thematic_plan_import(
                assignment=assignment, topics=data["text"], replace=data["replace"], actor=request.actor
            ),
        )
        if ok:
            messages.success(request, _("Планирование загружено."))
            return redirect(_plan_url(assignment))
    page = selectors.plan_page(actor=request.actor, assignment=assignment)
    context = {"page": page, "form": form, "assignment": assignment}
    return render(request, "journal/plan.html", context, status=400 if form.errors else 200)


@require_POST
@access_rule("can_view_journal")
def plan_move(request: HttpRequest, assignment_id: int, topic_id: int) -> HttpResponse:
    """Move a topic one place up or down (the keyboard alternative to dragging)."""
    assignment = selectors.assignment_get(actor=request.actor, pk=assignment_id)
    topic = selectors.planned_topic_get(actor=request.actor, assignment=assignment, pk=topic_id)
    form = MoveForm(request.POST)
    direction = form.cleaned_data["direction"] if form.is_valid() else "up"
    ids = list(topic.plan.topics.order_by("position").values_list("pk", flat=True))
    return button_flow(
        request,
        lambda: services.thematic_plan_reorder(
            plan=topic.plan, topic_ids=_moved(ids, topic.pk, direction), actor=request.actor
        ),
        success=_("Порядок тем изменён."),
        done=f"{_plan_url(assignment)}#t-{topic.pk}",
    )


def _moved(ids: list[int], pk: int, direction: str) -> list[int]:
    i = ids.index(pk)
    j = i - 1 if direction == "up" else i + 1
    if 0 <= j < len(ids):
        ids[i], ids[j] = ids[j], ids[i]
    return ids


@require_POST
@access_rule("can_view_journal")
def plan_topic_delete(request: HttpRequest, assignment_id: int, topic_id: int) -> HttpResponse:
    assignment = selectors.assignment_get(actor=request.actor, pk=assignment_id)
    topic = selectors.planned_topic_get(actor=request.actor, assignment=assignment, pk=topic_id)
    return button_flow(
        request,
        lambda: services.planned_topic_delete(topic=topic, actor=request.actor),
        success=_("Тема удалена."),
        done=_plan_url(assignment),
    )
