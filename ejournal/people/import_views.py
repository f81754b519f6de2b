"""Roster import pages: upload and past imports, blank templates, a job's progress and report."""

from __future__ import annotations

from django.http import HttpResponse

from ejournal.access.decorators import access_rule
from ejournal.access.http import ActorRequest
from ejournal.core.imports import views as pages

from .imports.kinds import ROSTER_KINDS
from .imports.selectors import import_jobs_visible

ROSTER_PAGES = pages.ImportPages(
    kinds=ROSTER_KINDS,
    namespace="people",
    list_template="people/import_list.html",
    jobs=lambda request: import_jobs_visible(actor=request.actor),
)


@access_rule("can_import_roster")
def import_list(request: ActorRequest) -> HttpResponse:
    return pages.import_list_page(request, ROSTER_PAGES)


@access_rule("can_import_roster")
def import_template(request: ActorRequest, kind: str, fmt: str) -> HttpResponse:
    return pages.import_template_download(request, ROSTER_PAGES, kind=kind, fmt=fmt)


@access_rule("can_import_roster")
def import_job(request: ActorRequest, pk: int) -> HttpResponse:
    return pages.import_job_page(request, ROSTER_PAGES, pk=pk)


@access_rule("can_import_roster")
def import_job_progress(request: ActorRequest, pk: int) -> HttpResponse:
    return pages.import_job_progress(request, ROSTER_PAGES, pk=pk)
