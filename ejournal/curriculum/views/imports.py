"""Import of the curriculum and assignments: upload, blank files, a job's progress and report."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from ejournal.access.decorators import access_rule
from ejournal.core.models import ImportJob

from ..imports.files import FORMATS, plan_job_summary, plan_template_build
from ..imports.forms import PlanUploadForm
from ..imports.importers import IMPORTERS
from ..imports.service import plan_import_start

RECENT_JOBS = 20


def _jobs(request: HttpRequest):
    """Planning imports of the actor's own school (the rule has already checked the role)."""
    return ImportJob.objects.filter(school_id=request.actor.school_id, kind__in=list(IMPORTERS)).select_related(
        "created_by"
    )


@access_rule("can_plan_school")
def import_list(request: HttpRequest) -> HttpResponse:
    form = PlanUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = plan_import_start(
            school_id=request.actor.school_id,
            kind=form.cleaned_data["kind"],
            upload=form.cleaned_data["file"],
            actor=request.actor,
        )
        return redirect("curriculum:import_job", pk=job.pk)
    context = {
        "form": form,
        "jobs": list(_jobs(request).order_by("-created_at", "-id")[:RECENT_JOBS]),
        "kinds": [(kind, cls.title) for kind, cls in IMPORTERS.items()],
        "formats": list(FORMATS),
    }
    return render(request, "curriculum/import_list.html", context, status=400 if form.errors else 200)


@access_rule("can_plan_school")
def import_template(request: HttpRequest, kind: str, fmt: str) -> HttpResponse:
    if kind not in IMPORTERS or fmt not in FORMATS:
        raise Http404
    content, content_type, file_name = plan_template_build(kind=kind, fmt=fmt)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{file_name}"'
    return response


@access_rule("can_plan_school")
def import_job(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_object_or_404(_jobs(request), pk=pk)
    return render(request, "curriculum/import_job.html", plan_job_summary(job))


@access_rule("can_plan_school")
def import_job_progress(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_object_or_404(_jobs(request), pk=pk)
    return render(request, "curriculum/partials/import_progress.html", plan_job_summary(job))
