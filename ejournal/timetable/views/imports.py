"""Timetable upload pages: the upload form with the blank template, a job's progress and report."""

from __future__ import annotations

import csv
import io

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook

from ejournal.access.decorators import access_rule
from ejournal.core.models import ImportJob
from ejournal.core.spreadsheet import safe_cell
from ejournal.people.imports.selectors import import_job_summary
from ejournal.people.imports.template_files import FORMATS

from ..forms import ImportForm
from ..imports.importer import TimetableImporter
from ..imports.service import KIND, timetable_import_start

COUNT_LABELS = {"lessons": _("Уроки в расписании"), "rooms": _("Кабинеты")}


def _jobs(request: HttpRequest):
    return ImportJob.objects.filter(school_id=request.actor.school_id, kind=KIND).select_related("created_by")


def _summary(job: ImportJob) -> dict:
    summary = import_job_summary(job)
    counts = (job.report or {}).get("counts", {})
    summary["kind_label"] = TimetableImporter.title
    summary["counts"] = [
        {"label": label, "created": 0, "updated": 0, "unchanged": 0, **counts[key]}
        for key, label in COUNT_LABELS.items()
        if key in counts
    ]
    return summary


@access_rule("can_plan_timetable")
def import_list(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = timetable_import_start(
            school_id=request.actor.school_id, upload=form.cleaned_data["file"], actor=request.actor
        )
        return redirect("timetable:import_job", pk=job.pk)
    context = {"form": form, "jobs": list(_jobs(request)[:20]), "formats": list(FORMATS)}
    return render(request, "timetable/import_list.html", context, status=400 if form.errors else 200)


@access_rule("can_plan_timetable")
def import_template(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404
    content = _template(fmt)
    response = HttpResponse(content, content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="timetable.{fmt}"'
    return response


def _template(fmt: str) -> bytes:
    """The blank file with the timetable's columns and example rows (cells safe from formulas)."""
    columns = TimetableImporter.columns
    rows = [[c.label for c in columns], *([e.get(c.key, "") for c in columns] for e in TimetableImporter.examples)]
    rows = [[safe_cell(v) for v in row] for row in rows]
    if fmt == "csv":
        out = io.StringIO()
        # Semicolons and a BOM: what Russian Excel writes and opens without asking.
        csv.writer(out, delimiter=";", lineterminator="\r\n").writerows(rows)
        return out.getvalue().encode("utf-8-sig")
    book = Workbook()
    sheet = book.active
    sheet.title = "Расписание"
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@access_rule("can_plan_timetable")
def import_job(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_object_or_404(_jobs(request), pk=pk)
    return render(request, "timetable/import_job.html", _summary(job))


@access_rule("can_plan_timetable")
def import_job_progress(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_object_or_404(_jobs(request), pk=pk)
    return render(request, "timetable/partials/import_progress.html", _summary(job))
