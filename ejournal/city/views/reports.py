"""The monthly report pages: list and opening, a report, hand entry, upload, workflow, exports, the city report."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from ejournal.access import policy
from ejournal.access.decorators import access_rule
from ejournal.access.http import ActorRequest
from ejournal.core.imports.template_files import FORMATS, template_build
from ejournal.core.imports.views import import_job_context
from ejournal.core.templatetags.ru_format import month_in_sentence
from ejournal.core.views import button_flow, confirmed, form_flow, question_page, run
from ejournal.diary.pdf import PdfUnavailable, html_to_pdf
from ejournal.schools.models import District

from .. import selectors, services
from ..exports import XLSX, report_xlsx
from ..forms import OpenReportForm, ProblemsForm, ReportRowForm, ReturnForm, UploadForm
from ..imports import REPORT_ROWS_KINDS, ReportRowsImporter, report_rows_upload_start, report_upload_jobs
from ..report_fields import FIELDS
from ..rules import report_due_on
from ..values import from_json


def _month_title(year: int, month: int) -> str:
    return f"{MONTHS[month]} {year}"


def _month_in_text(year: int, month: int) -> str:
    """The month as it reads inside a sentence: «октябрь 2026 г.»."""
    return month_in_sentence(year, month)


@access_rule("can_view_monthly_reports")
def report_list(request: ActorRequest) -> HttpResponse:
    today = timezone.localdate()
    reports = list(selectors.reports_list(actor=request.actor)[:200])
    for report in reports:
        report.late = selectors.report_is_late(report, today)  # type: ignore[attr-defined]  # for the template
    form = OpenReportForm(initial={"year": today.year, "month": today.month})
    context = {
        "reports": reports,
        "form": form,
        "can_prepare": policy.check(request.actor, "can_prepare_monthly_report"),
        "can_view_city": policy.check(request.actor, "can_view_city_report"),
        "today": today,
    }
    return render(request, "city/report_list.html", context)


@require_POST
@access_rule("can_prepare_monthly_report")
def report_open(request: ActorRequest) -> HttpResponse:
    form = OpenReportForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Укажите год и месяц отчёта."))
        return redirect("city:reports")
    district = get_object_or_404(District, pk=request.actor.district_id)
    report = services.monthly_report_open(
        district=district, year=form.cleaned_data["year"], month=form.cleaned_data["month"], actor=request.actor
    )
    return redirect("city:report", pk=report.pk)


def _report_context(request: ActorRequest, report) -> dict:
    rows = selectors.report_rows(actor=request.actor, report=report)
    actor = request.actor
    return {
        "report": report,
        "title": _month_title(report.year, report.month),
        "month_in_text": _month_in_text(report.year, report.month),
        "rows": rows,
        "anchors": selectors.report_anchors(rows=rows, year=report.year, month=report.month),
        "totals": selectors.report_totals(rows),
        "fields": FIELDS,
        "due_on": report_due_on(report.year, report.month),
        "late": selectors.report_is_late(report),
        "can_prepare": policy.check(actor, "can_prepare_monthly_report", report) and report.status in services.EDITABLE,
        "can_review": policy.check(actor, "can_review_monthly_report", report) and report.status == "submitted",
    }


@access_rule("can_view_monthly_reports")
def report_detail(request: ActorRequest, pk: int) -> HttpResponse:
    report = selectors.report_get(actor=request.actor, pk=pk)
    context = _report_context(request, report)
    context["problems_form"] = ProblemsForm(initial={"problems": report.problems})
    context["return_form"] = ReturnForm()
    context["upload_form"] = UploadForm()
    return render(request, "city/report.html", context)


def _prepared(request: ActorRequest, pk: int):
    report = selectors.report_get(actor=request.actor, pk=pk)
    policy.enforce(request.actor, "can_prepare_monthly_report", report)
    return report


@access_rule("can_prepare_monthly_report")
def report_row(request: ActorRequest, pk: int, row_pk: int) -> HttpResponse:
    report = _prepared(request, pk)
    row = selectors.report_row_get(actor=request.actor, report=report, pk=row_pk)
    if row.source != "manual":
        raise Http404
    initial = {f.key: from_json(f, row.data.get(f.key)) for f in FIELDS}
    form = ReportRowForm(request.POST or None, initial=initial)
    return form_flow(
        request,
        form,
        lambda data: services.report_row_set(row=row, values=data, actor=request.actor),
        success=_("Строка школы сохранена."),
        done=reverse("city:report", args=[report.pk]),
        title=_("%(school)s: %(month)s")
        % {"school": row.school.short_name, "month": _month_title(report.year, report.month)},
        intro=_("Школа работает в системе другого разработчика: показатели вводятся вручную."),
        submit=_("Сохранить"),
    )


@require_POST
@access_rule("can_prepare_monthly_report")
def report_row_drop(request: ActorRequest, pk: int, row_pk: int) -> HttpResponse:
    report = _prepared(request, pk)
    row = selectors.report_row_get(actor=request.actor, report=report, pk=row_pk)
    return button_flow(
        request,
        lambda: services.report_row_drop(row=row, actor=request.actor),
        success=_("Данные школы, введённые вручную, удалены."),
        done=reverse("city:report", args=[pk]),
    )


@access_rule("can_prepare_monthly_report")
def report_upload(request: ActorRequest, pk: int) -> HttpResponse:
    """A file of the rows of schools on other systems, queued as a background job; its page shows the report."""
    report = _prepared(request, pk)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        ok, job = run(
            form, lambda: report_rows_upload_start(report=report, upload=form.cleaned_data["file"], actor=request.actor)
        )
        if ok:
            return redirect("city:report_upload_job", pk=report.pk, job_pk=job.pk)
    context = {"report": report, "title": _month_title(report.year, report.month), "form": form}
    return render(request, "city/report_upload.html", context, status=400 if form.errors else 200)


def _upload_job_context(request: ActorRequest, pk: int, job_pk: int) -> dict:
    report = _prepared(request, pk)
    job = get_object_or_404(report_upload_jobs(report=report), pk=job_pk)
    return import_job_context(
        job, kinds=REPORT_ROWS_KINDS, title=_("Загрузка строк отчёта"),
        list_url=reverse("city:report", args=[report.pk]), list_label=_("← К отчёту"),
        progress_url=reverse("city:report_upload_job_progress", kwargs={"pk": report.pk, "job_pk": job.pk}),
    )  # fmt: skip


@access_rule("can_prepare_monthly_report")
def report_upload_job(request: ActorRequest, pk: int, job_pk: int) -> HttpResponse:
    return render(request, "core/import_job.html", _upload_job_context(request, pk, job_pk))


@access_rule("can_prepare_monthly_report")
def report_upload_job_progress(request: ActorRequest, pk: int, job_pk: int) -> HttpResponse:
    return render(request, "core/partials/import_progress.html", _upload_job_context(request, pk, job_pk))


@access_rule("can_prepare_monthly_report")
def report_template(request: ActorRequest, fmt: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404
    content, content_type, file_name = template_build(importer=ReportRowsImporter, fmt=fmt)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{file_name}"'
    return response


@require_POST
@access_rule("can_prepare_monthly_report")
def report_problems(request: ActorRequest, pk: int) -> HttpResponse:
    report = _prepared(request, pk)
    form = ProblemsForm(request.POST)
    problems = form.cleaned_data["problems"] if form.is_valid() else None
    if problems is None:
        messages.error(request, _("Слишком длинный текст: не более 5000 знаков."))
        return redirect("city:report", pk=pk)
    return button_flow(
        request,
        lambda: services.report_problems_set(report=report, problems=problems, actor=request.actor),
        success=_("Сохранено."),
        done=reverse("city:report", args=[pk]),
    )


@require_POST
@access_rule("can_prepare_monthly_report")
def report_submit(request: ActorRequest, pk: int) -> HttpResponse:
    """Send the report to the department after the question (it cannot be edited until returned)."""
    report = _prepared(request, pk)
    if not confirmed(request):
        rows = list(report.rows.values_list("source", flat=True))
        manual = sum(1 for source in rows if source == "manual")
        lines = [
            _("Отчёт округа %(district)s за %(month)s.") % {"district": report.district.name,
                                                           "month": _month_title(report.year, report.month)},
            ngettext("В отчёте %(n)s школа", "В отчёте %(n)s школы", len(rows)) % {"n": len(rows)}
            + (ngettext(", из них %(m)s — на другой системе (строка введена вручную).",
                        ", из них %(m)s — на других системах (строки введены вручную).", manual) % {"m": manual}
               if manual else "."),
            _("После отправки изменить отчёт можно, только если департамент вернёт его на доработку."),
        ]  # fmt: skip
        return question_page(request, title=_("Отправить отчёт в департамент?"), lines=lines,
                             confirm=_("Отправить отчёт"), cancel=reverse("city:report", args=[pk]))  # fmt: skip
    return button_flow(
        request,
        lambda: services.report_submit(report=report, actor=request.actor),
        success=_("Отчёт отправлен в департамент."),
        done=reverse("city:report", args=[pk]),
    )


def _reviewed(request: ActorRequest, pk: int):
    report = selectors.report_get(actor=request.actor, pk=pk)
    policy.enforce(request.actor, "can_review_monthly_report", report)
    return report


@require_POST
@access_rule("can_review_monthly_report")
def report_accept(request: ActorRequest, pk: int) -> HttpResponse:
    report = _reviewed(request, pk)
    return button_flow(
        request,
        lambda: services.report_accept(report=report, actor=request.actor),
        success=_("Отчёт принят; его данные зафиксированы."),
        done=reverse("city:report", args=[pk]),
    )


@require_POST
@access_rule("can_review_monthly_report")
def report_return(request: ActorRequest, pk: int) -> HttpResponse:
    report = _reviewed(request, pk)
    form = ReturnForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Напишите, что нужно исправить."))
        return redirect("city:report", pk=pk)
    return button_flow(
        request,
        lambda: services.report_return(report=report, comment=form.cleaned_data["comment"], actor=request.actor),
        success=_("Отчёт возвращён округу на доработку."),
        done=reverse("city:report", args=[pk]),
    )


def _pdf(request: ActorRequest, context: dict, file_name: str) -> HttpResponse:
    html = render_to_string("city/report_print.html", context, request=request)
    try:
        pdf = html_to_pdf(html)
    except PdfUnavailable:
        return render(request, "city/pdf_unavailable.html", status=503)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{file_name}"'
    return response


@access_rule("can_view_monthly_reports")
def report_export(request: ActorRequest, pk: int, fmt: str) -> HttpResponse:
    report = selectors.report_get(actor=request.actor, pk=pk)
    context = _report_context(request, report)
    name = f"report-{report.district_id}-{report.year}-{report.month:02d}"
    if fmt == "pdf":
        section = {"district": report.district, "report": report, "rows": context["rows"], "totals": context["totals"]}
        return _pdf(request, {**context, "sections": [section], "city_totals": None}, f"{name}.pdf")
    content = report_xlsx(
        [(report.district.name, context["rows"], context["totals"])],
        month_title=_month_in_text(report.year, report.month),
        anchors=context["anchors"],
    )
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


def _month_param(request: ActorRequest) -> tuple[int, int]:
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year", today.year))
        month = int(request.GET.get("month", today.month))
        dt.date(year, month, 1)
    except (TypeError, ValueError):
        return today.year, today.month
    return year, month


def _city_context(request: ActorRequest) -> dict:
    year, month = _month_param(request)
    parts, city_totals = selectors.city_report(actor=request.actor, year=year, month=month)
    sections = [{"district": p.district, "report": p.report, "rows": p.rows, "totals": p.totals} for p in parts]
    return {
        "year": year,
        "month": month,
        "months": list(MONTHS.items()),
        "title": _month_title(year, month),
        "month_in_text": _month_in_text(year, month),
        "sections": sections,
        "city_totals": city_totals,
        "fields": FIELDS,
        "due_on": report_due_on(year, month),
    }


@access_rule("can_view_city_report")
def city_report(request: ActorRequest) -> HttpResponse:
    return render(request, "city/city_report.html", _city_context(request))


@access_rule("can_view_city_report")
def city_report_export(request: ActorRequest, fmt: str) -> HttpResponse:
    context = _city_context(request)
    name = f"city-report-{context['year']}-{context['month']:02d}"
    if fmt == "pdf":
        return _pdf(request, context, f"{name}.pdf")
    sections = [(s["district"].name, s["rows"], s["totals"]) for s in context["sections"]]
    content = report_xlsx(
        sections, context["city_totals"], month_title=_month_in_text(context["year"], context["month"])
    )
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response
