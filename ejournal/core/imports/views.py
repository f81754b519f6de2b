"""The four import pages every app has, behind its own access rule: upload and past jobs, blank files, a job.

An app's views declare their rule with `@access_rule` and call these with its `ImportPages`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy

from ejournal.access.http import ActorRequest
from ejournal.core.models import ImportJob

from .forms import ImportFileForm, ImportUploadForm
from .kinds import ImportKinds
from .selectors import import_job_summary, import_jobs_recent
from .services import import_job_start, import_jobs_expire
from .template_files import FORMATS, template_build

JOB_TITLE = gettext_lazy("Загрузка файла")
LIST_LABEL = gettext_lazy("← Ко всем загрузкам")


@dataclass(frozen=True)
class ImportPages:
    """An app's import pages: its kinds, URL namespace, list template and the jobs its actor may see."""

    kinds: ImportKinds
    namespace: str
    list_template: str
    jobs: Callable[[ActorRequest], QuerySet[ImportJob]]
    form_class: type[ImportFileForm] = ImportUploadForm
    job_title: Any = JOB_TITLE

    def url(self, name: str, **kwargs) -> str:
        return reverse(f"{self.namespace}:{name}", kwargs=kwargs)


def import_list_page(request: ActorRequest, pages: ImportPages) -> HttpResponse:
    """The upload form, the blank files and the school's recent jobs; a valid upload goes to its job page."""
    form = pages.form_class(request.POST or None, request.FILES or None, kinds=pages.kinds)
    if request.method == "POST" and form.is_valid():
        job = import_job_start(
            kinds=pages.kinds,
            school_id=request.actor.school_id,
            kind=form.chosen_kind(),
            upload=form.cleaned_data["file"],
            actor=request.actor,
        )
        return redirect(f"{pages.namespace}:import_job", pk=job.pk)
    import_jobs_expire()  # without a periodic run, the page itself must not show a dead job running
    context = {
        "form": form,
        "jobs": import_jobs_recent(pages.jobs(request)),
        "kinds": pages.kinds.choices(),
        "formats": list(FORMATS),
        "template_url_name": f"{pages.namespace}:import_template",
        "job_url_name": f"{pages.namespace}:import_job",
    }
    return render(request, pages.list_template, context, status=400 if form.errors else 200)


def import_template_download(request: ActorRequest, pages: ImportPages, *, kind: str, fmt: str) -> HttpResponse:
    if kind not in pages.kinds.importers or fmt not in FORMATS:
        raise Http404
    content, content_type, file_name = template_build(importer=pages.kinds.importers[kind], fmt=fmt)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{file_name}"'
    return response


def import_job_page(request: ActorRequest, pages: ImportPages, *, pk: int) -> HttpResponse:
    return render(request, "core/import_job.html", _job_context(request, pages, pk))


def import_job_progress(request: ActorRequest, pages: ImportPages, *, pk: int) -> HttpResponse:
    return render(request, "core/partials/import_progress.html", _job_context(request, pages, pk))


def _job_context(request: ActorRequest, pages: ImportPages, pk: int) -> dict:
    job = get_object_or_404(pages.jobs(request), pk=pk)
    return import_job_context(
        job,
        kinds=pages.kinds,
        title=pages.job_title,
        list_url=pages.url("import_list"),
        progress_url=pages.url("import_job_progress", pk=job.pk),
    )


def import_job_context(
    job: ImportJob, *, kinds: ImportKinds, title: Any, list_url: str, progress_url: str, list_label: Any = None
) -> dict:
    """What `core/import_job.html` and its progress partial show of a job the caller has found in its scope."""
    if job.status in (ImportJob.Status.PENDING, ImportJob.Status.RUNNING) and import_jobs_expire():
        job.refresh_from_db()
    return {
        **import_job_summary(job, kinds=kinds),
        "page_title": title,
        "list_url": list_url,
        "list_label": list_label or LIST_LABEL,
        "progress_url": progress_url,
    }
