"""Timetable upload pages: the upload form with the blank template, a job's progress and report."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _

from ejournal.access.decorators import access_rule
from ejournal.access.http import ActorRequest
from ejournal.core.imports import views as pages
from ejournal.core.imports.forms import ImportFileForm
from ejournal.core.imports.selectors import import_jobs_of_school

from ..imports.importer import TimetableImporter
from ..imports.kinds import TIMETABLE_KINDS

TIMETABLE_PAGES = pages.ImportPages(
    kinds=TIMETABLE_KINDS,
    namespace="timetable",
    list_template="timetable/import_list.html",
    jobs=lambda request: import_jobs_of_school(kinds=TIMETABLE_KINDS, school_id=request.actor.school_id),
    form_class=ImportFileForm,
    job_title=_("Загрузка расписания"),
)


@access_rule("can_plan_timetable")
def import_list(request: ActorRequest) -> HttpResponse:
    return pages.import_list_page(request, TIMETABLE_PAGES)


@access_rule("can_plan_timetable")
def import_template(request: ActorRequest, fmt: str) -> HttpResponse:
    return pages.import_template_download(request, TIMETABLE_PAGES, kind=TimetableImporter.kind, fmt=fmt)


@access_rule("can_plan_timetable")
def import_job(request: ActorRequest, pk: int) -> HttpResponse:
    return pages.import_job_page(request, TIMETABLE_PAGES, pk=pk)


@access_rule("can_plan_timetable")
def import_job_progress(request: ActorRequest, pk: int) -> HttpResponse:
    return pages.import_job_progress(request, TIMETABLE_PAGES, pk=pk)
