"""The thematic plan of an assignment: paste topics or load an XLSX/CSV file, edit in place, reorder, delete."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from ejournal.access.decorators import access_rule
from ejournal.access.http import ActorRequest
from ejournal.core.imports import views as import_pages
from ejournal.core.imports.template_files import FORMATS
from ejournal.core.models import ImportJob
from ejournal.core.views import button_flow, confirmed, question_page, run

from .. import selectors, services
from ..forms import MoveForm, PlanFileForm, PlanImportForm, PlanTopicForm
from ..imports.importers import ThematicPlanImporter
from ..imports.kinds import JOURNAL_KINDS
from ..imports.selectors import plan_import_jobs
from ..imports.service import thematic_plan_file_start

# The journal's import kinds for the core's blank-file view (a plan's jobs are found through its assignment).
PLAN_FILES = import_pages.ImportPages(
    kinds=JOURNAL_KINDS,
    namespace="journal",
    list_template="journal/plan.html",
    jobs=lambda request: ImportJob.objects.none(),
)


def _topic(request: ActorRequest, assignment_id: int, topic_id: int):
    assignment = selectors.assignment_get(actor=request.actor, pk=assignment_id)
    return assignment, selectors.planned_topic_get(actor=request.actor, assignment=assignment, pk=topic_id)


def _plan_url(assignment) -> str:
    return reverse("journal:plan", kwargs={"assignment_id": assignment.pk})


@access_rule("can_view_journal")
def plan(request: ActorRequest, assignment_id: int) -> HttpResponse:
    assignment = selectors.assignment_get(actor=request.actor, pk=assignment_id)
    form = PlanImportForm(request.POST or None)
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
    return _plan_page(request, assignment, form=form)


def _plan_page(request, assignment, *, form=None, file_form=None) -> HttpResponse:
    page = selectors.plan_page(actor=request.actor, assignment=assignment)
    form = form or PlanImportForm()
    file_form = file_form or PlanFileForm()
    context = {
        "page": page, "form": form, "file_form": file_form, "assignment": assignment,
        "formats": list(FORMATS), "kind": ThematicPlanImporter.kind,
        "rows": [(t, PlanTopicForm(initial={"title": t.title, "hours": t.hours, "is_control_work": t.is_control_work},
                                   auto_id=f"id_t{t.pk}_%s")) for t in page.topics],
    }  # fmt: skip
    failed = form.errors or file_form.errors
    return render(request, "journal/plan.html", context, status=400 if failed else 200)


@require_POST
@access_rule("can_view_journal")
def plan_upload(request: ActorRequest, assignment_id: int) -> HttpResponse:
    """A plan file (XLSX/CSV), queued as a background job; its page shows the progress and the report."""
    assignment = selectors.assignment_get(actor=request.actor, pk=assignment_id)
    form = PlanFileForm(request.POST, request.FILES)
    if not form.is_valid():
        return _plan_page(request, assignment, file_form=form)
    ok, job = run(form, lambda: thematic_plan_file_start(
        assignment=assignment, upload=form.cleaned_data["file"], replace=form.cleaned_data["replace"],
        actor=request.actor,
    ))  # fmt: skip
    if not ok:
        return _plan_page(request, assignment, file_form=form)
    return redirect("journal:plan_import_job", assignment_id=assignment.pk, pk=job.pk)


PLAN_JOB_TITLE = gettext_lazy("Загрузка планирования")
BACK_TO_PLAN = gettext_lazy("← К планированию")


def _plan_job_context(request: ActorRequest, assignment_id: int, pk: int) -> dict:
    assignment = selectors.assignment_get(actor=request.actor, pk=assignment_id)
    job = get_object_or_404(plan_import_jobs(assignment=assignment), pk=pk)
    return import_pages.import_job_context(
        job, kinds=JOURNAL_KINDS, title=PLAN_JOB_TITLE, list_url=_plan_url(assignment), list_label=BACK_TO_PLAN,
        progress_url=reverse("journal:plan_import_job_progress", kwargs={"assignment_id": assignment.pk, "pk": pk}),
    )  # fmt: skip


@access_rule("can_view_journal")
def plan_import_job(request: ActorRequest, assignment_id: int, pk: int) -> HttpResponse:
    """A plan upload: its progress while the job runs, then the topics loaded or every bad cell."""
    return render(request, "core/import_job.html", _plan_job_context(request, assignment_id, pk))


@access_rule("can_view_journal")
def plan_import_job_progress(request: ActorRequest, assignment_id: int, pk: int) -> HttpResponse:
    return render(request, "core/partials/import_progress.html", _plan_job_context(request, assignment_id, pk))


@access_rule("can_view_journal")
def plan_template(request: ActorRequest, assignment_id: int, fmt: str) -> HttpResponse:
    """The blank plan file with the columns and example rows (XLSX or CSV)."""
    selectors.assignment_get(actor=request.actor, pk=assignment_id)
    return import_pages.import_template_download(request, PLAN_FILES, kind=ThematicPlanImporter.kind, fmt=fmt)


@require_POST
@access_rule("can_view_journal")
def plan_topic_edit(request: ActorRequest, assignment_id: int, topic_id: int) -> HttpResponse:
    """Change a topic's title, hours and control-work flag in place."""
    assignment, topic = _topic(request, assignment_id, topic_id)
    form = PlanTopicForm(request.POST)
    done = f"{_plan_url(assignment)}#t-{topic.pk}"
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(
                request, _("Тема %(n)s: %(error)s") % {"n": topic.position, "error": " ".join(str(e) for e in errors)}
            )
        return redirect(done)
    data = form.cleaned_data
    return button_flow(
        request,
        lambda: services.planned_topic_update(
            topic=topic, title=data["title"], hours=data["hours"], is_control_work=data["is_control_work"],
            actor=request.actor,
        ),
        success=_("Тема %(n)s сохранена.") % {"n": topic.position},
        done=done,
    )  # fmt: skip


@require_POST
@access_rule("can_view_journal")
def plan_move(request: ActorRequest, assignment_id: int, topic_id: int) -> HttpResponse:
    """Move a topic one place up or down (the keyboard alternative to dragging)."""
    assignment, topic = _topic(request, assignment_id, topic_id)
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
def plan_topic_delete(request: ActorRequest, assignment_id: int, topic_id: int) -> HttpResponse:
    """Delete a topic after the question (a deleted topic is not undone; lessons keep their topic text)."""
    assignment, topic = _topic(request, assignment_id, topic_id)
    if not confirmed(request):
        taught = topic.lesson_notes.count()
        lines = [_("Тема %(n)s: «%(title)s», часов: %(hours)s.") % {"n": topic.position, "title": topic.title,
                                                                  "hours": topic.hours}]  # fmt: skip
        if taught:
            lines.append(ngettext("%(n)s урок уже проведён по этой теме: его тема в журнале останется.",
                                  "%(n)s урока уже проведены по этой теме: их темы в журнале останутся.", taught)
                         % {"n": taught})  # fmt: skip
        lines.append(_("Следующие темы сдвинутся на одну позицию вверх."))
        return question_page(request, title=_("Удалить тему из планирования?"), lines=lines,
                             confirm=_("Удалить тему"), cancel=f"{_plan_url(assignment)}#t-{topic.pk}")  # fmt: skip
    return button_flow(
        request,
        lambda: services.planned_topic_delete(topic=topic, actor=request.actor),
        success=_("Тема удалена."),
        done=_plan_url(assignment),
    )
