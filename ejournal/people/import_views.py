"""Roster import pages: upload and past imports, blank templates, a job's progress and report."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from ejournal.access.decorators import access_rule

from .imports import selectors
from .imports.forms import ImportUploadForm
from .imports.kinds import IMPORTERS
from .imports.service import roster_import_start
from .imports.template_files import FORMATS, template_build


@access_rule("can_import_roster")
def import_list(request: HttpRequest) -> HttpResponse:
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = roster_import_start(
            school_id=request.actor.school_id,
            kind=form.cleaned_data["kind"],
            upload=form.cleaned_data["file"],
            actor=request.actor,
        )
        return redirect("people:import_job", pk=job.pk)
    context = {
        "form": form,
        "jobs": selectors.import_jobs_recent(actor=request.actor),
        "kinds": [(kind, cls.title) for kind, cls in IMPORTERS.items()],
        "formats": list(FORMATS),
    }
    return render(request, "people/import_list.html", context, status=400 if form.errors else 200)


@access_rule("can_import_roster")
def import_template(request: HttpRequest, kind: str, fmt: str) -> HttpResponse:
    if kind not in IMPORTERS or fmt not in FORMATS:
        raise Http404
    content, content_type, file_name = template_build(kind=kind, fmt=fmt)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{file_name}"'
    return response


@access_rule("can_import_roster")
def import_job(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_object_or_404(selectors.import_jobs_visible(actor=request.actor), pk=pk)
    return render(request, "people/import_job.html", selectors.import_job_summary(job))


@access_rule("can_import_roster")
def import_job_progress(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_object_or_404(selectors.import_jobs_visible(actor=request.actor), pk=pk)
    return render(request, "people/partials/import_progress.html", selectors.import_job_summary(job))
