"""Import of the curriculum and assignments: upload, blank files, a job's progress and report."""

from __future__ import annotations

from django.http import HttpResponse

from ejournal.access.decorators import access_rule
from ejournal.access.http import ActorRequest
from ejournal.core.imports import views as pages
from ejournal.core.imports.selectors import import_jobs_of_school

from ..imports.kinds import PLAN_KINDS

# Planning imports of the actor's own school (the view's rule has already checked the role).
PLAN_PAGES = pages.ImportPages(
    kinds=PLAN_KINDS,
    namespace="curriculum",
    list_template="curriculum/import_list.html",
    jobs=lambda request: import_jobs_of_school(kinds=PLAN_KINDS, school_id=request.actor.school_id),
)


@access_rule("can_plan_school")
def import_list(request: ActorRequest) -> HttpResponse:
    return pages.import_list_page(request, PLAN_PAGES)


@access_rule("can_plan_school")
def import_template(request: ActorRequest, kind: str, fmt: str) -> HttpResponse:
    return pages.import_template_download(request, PLAN_PAGES, kind=kind, fmt=fmt)


@access_rule("can_plan_school")
def import_job(request: ActorRequest, pk: int) -> HttpResponse:
    return pages.import_job_page(request, PLAN_PAGES, pk=pk)


@access_rule("can_plan_school")
def import_job_progress(request: ActorRequest, pk: int) -> HttpResponse:
    return pages.import_job_progress(request, PLAN_PAGES, pk=pk)
