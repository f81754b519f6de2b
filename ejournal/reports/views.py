"""The school's reports and the class documents: pages, XLSX and PDF of the same tables."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from ejournal.access.decorators import access_rule
from ejournal.access.http import ActorRequest
from ejournal.control.indicators import aggregate_plans
from ejournal.diary.pdf import PdfUnavailable, html_to_pdf

from . import selectors, tables
from .exports import XLSX, tables_xlsx

FORMATS = ("html", "xlsx", "pdf")


def _choice(request: ActorRequest, name: str, options, default: str) -> str:
    value = request.GET.get(name)
    return value if value is not None and value in options else default


def _sections(school, period, section: str, by: str, class_ids=None, per_student=False, memo: dict | None = None):
    """The tables and charts of one section of a report for the period («all»: every section, one after another).

    `memo` keeps what one request has read (the period's achievement serves its figures, its lists and the class's
    letters): each dataset is read once per request, not once per section."""
    memo = {} if memo is None else memo
    if section == "all":
        out_tables, out_charts = [], []
        for key in tables.SECTIONS:
            if key != "all":
                t, c = _sections(school, period, key, by, class_ids, per_student, memo)
                out_tables += t
                out_charts += c
        return out_tables, out_charts
    if section in ("achievement", "lists"):
        a = _achievement(memo, school, period, class_ids)
        if section == "lists":
            return tables.lists_tables(a), []
        previous = selectors.previous_achievement(school=school, period=period, class_ids=class_ids)
        return tables.achievement_tables(a, previous, by, per_class=per_student)
    if section == "attendance":
        classes = selectors.school_attendance(school=school, period=period, class_ids=class_ids)
        return tables.attendance_tables(classes, per_student=per_student)
    if section == "programme":
        return tables.programme_tables(selectors.school_delivery(school=school, period=period, class_ids=class_ids))
    return tables.density_tables(selectors.school_density(school=school, period=period, class_ids=class_ids),
                                 is_year=period.is_year)  # fmt: skip


def _achievement(memo: dict, school, period, class_ids):
    if "achievement" not in memo:
        memo["achievement"] = selectors.school_achievement(school=school, period=period, class_ids=class_ids)
    return memo["achievement"]


def _answer(request: ActorRequest, context: dict, fmt: str, filename: str) -> HttpResponse:
    """The page, its XLSX or its PDF (the same tables; the PDF with the charts and a signature block)."""
    if fmt == "xlsx":
        heading = [context["title"], context["subtitle"], _("Выгружено: %(when)s") % {
            "when": timezone.localtime().strftime("%d.%m.%Y %H:%M")}]  # fmt: skip
        response = HttpResponse(tables_xlsx(title=context["sheet"], heading=heading, tables=context["tables"]),
                                content_type=XLSX)  # fmt: skip
        response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
        return response
    if fmt == "pdf":
        html = render_to_string("reports/report.html", {**context, "for_pdf": True}, request=request)
        try:
            pdf = html_to_pdf(html)
        except PdfUnavailable:
            return HttpResponse(_("PDF сейчас недоступен; распечатайте страницу отчёта."), status=503,
                                content_type="text/plain; charset=utf-8")  # fmt: skip
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{filename}.pdf"'
        return response
    return render(request, "reports/report.html", context)


def _base(request: ActorRequest, school, *, grade: int | None = None):
    periods, period = selectors.report_periods(school=school, key=request.GET.get("period"), grade=grade)
    section = _choice(request, "section", tables.SECTIONS, "achievement" if grade is None else "all")
    by = _choice(request, "by", tables.GROUPINGS, "class")
    return periods, period, section, by


def _links(periods, period, section, by, extra=None) -> dict:
    def query(**change) -> str:
        values = {"period": period.key if period else "", "section": section, "by": by, **change}
        return urlencode(values)

    return {
        "periods": [(p.label, query(period=p.key), p == period) for p in periods],
        "sections": [(label, query(section=key), key == section) for key, label in tables.SECTIONS.items()],
        "groupings": [(label, query(by=key), key == by) for key, label in tables.GROUPINGS.items()]
        if section == "achievement" and extra is None
        else [],
        "query": query(),
    }


@access_rule("can_view_school_reports")
def school(request: ActorRequest, fmt: str = "html") -> HttpResponse:
    """The school's report for a period: one section, grouped by class, parallel, subject or teacher."""
    school = selectors.report_school(actor=request.actor)
    periods, period, section, by = _base(request, school)
    context = {"title": _("Отчёт школы: %(section)s") % {"section": tables.SECTIONS[section]},
               "subtitle": school.full_name, "school": school, "period": period, "sheet": _("Отчёт"),
               "tables": [], "charts": [], "page_url": request.path, "kind": "school",
               **_links(periods, period, section, by)}  # fmt: skip
    if period is not None:
        with aggregate_plans():
            context["tables"], context["charts"] = _sections(school, period, section, by)
        context["subtitle"] = f"{school.full_name}. {period.label}"
    return _answer(request, context, fmt, f"otchet-{section}")


@access_rule("can_view_class_reports")
def classes(request: ActorRequest) -> HttpResponse:
    """The classes the actor reports on, each with its report, summary sheet and letters."""
    return render(request, "reports/classes.html", {"classes": selectors.report_classes(actor=request.actor)})


@access_rule("can_view_class_reports")
def class_report(request: ActorRequest, pk: int, fmt: str = "html") -> HttpResponse:
    """The class teacher's term report: the class by subject, its students' lists, attendance, programme, density."""
    cls = selectors.report_class(actor=request.actor, pk=pk)
    periods, period, section, by = _base(request, cls.school, grade=cls.grade)
    by = "subject"
    context = {"title": _("Отчёт классного руководителя: %(cls)s") % {"cls": cls}, "school": cls.school,
               "subtitle": cls.school.full_name, "period": period, "sheet": str(cls), "school_class": cls,
               "tables": [], "charts": [], "page_url": request.path, "kind": "class",
               "section_title": tables.SECTIONS[section], **_links(periods, period, section, by, extra=cls)}  # fmt: skip
    if period is not None:
        memo: dict = {}
        with aggregate_plans():
            context["tables"], context["charts"] = _sections(cls.school, period, section, by, class_ids=[cls.pk],
                                                             per_student=True, memo=memo)  # fmt: skip
            if section in ("achievement", "all"):
                context["at_risk"] = _at_risk(cls, period, memo)
        context["subtitle"] = f"{cls.school.full_name}. {cls} {_('класс')}. {period.label}"
    return _answer(request, context, fmt, f"otchet-klassa-{cls.grade}-{section}")


def _at_risk(cls, period, memo: dict) -> list:
    a = _achievement(memo, cls.school, period, [cls.pk])
    return [s for c in a.classes for s in c.students if s.category in ("2", "na")]


@access_rule("can_view_class_reports")
def sheet(request: ActorRequest, pk: int, fmt: str = "html") -> HttpResponse:
    """Сводная ведомость учёта успеваемости of the class: every subject × terms, year, exam and final mark."""
    cls = selectors.report_class(actor=request.actor, pk=pk)
    data = selectors.summary_sheet(school_class=cls)
    context = {"school_class": cls, "school": cls.school, **data, "for_pdf": fmt == "pdf"}
    if fmt == "xlsx":
        header = [_("№"), _("Обучающийся"), _("Предмет"), *[label for _k, label in data["columns"]]]
        table = tables.Table(title=_("Сводная ведомость учёта успеваемости"), header=header)
        for n, s in enumerate(data["students"], start=1):
            for sub, marks in zip(data["subjects"], s["subjects"], strict=True):
                table.rows.append([n, s["name"], sub["name"], *marks])
        response = HttpResponse(tables_xlsx(title=str(cls), heading=[str(table.title), cls.school.full_name,
                                            f"{cls} {_('класс')}, {cls.year.name}"], tables=[table]),
                                content_type=XLSX)  # fmt: skip
        response["Content-Disposition"] = f'attachment; filename="vedomost-{cls.grade}.xlsx"'
        return response
    if fmt == "pdf":
        return _pdf(request, "reports/sheet.html", context, f"vedomost-{cls.grade}.pdf")
    return render(request, "reports/sheet.html", context)


@access_rule("can_view_class_reports")
def letter(request: ActorRequest, pk: int, student_id: int) -> HttpResponse:
    """The information letter to the parents of a student at risk of failing (PDF, to sign and hand over)."""
    cls = selectors.report_class(actor=request.actor, pk=pk)
    student = selectors.class_student(actor=request.actor, school_class=cls, pk=student_id)
    _periods, period = selectors.report_periods(school=cls.school, key=request.GET.get("period"), grade=cls.grade)
    subjects = selectors.at_risk_subjects(school_class=cls, student=student, period=period) if period else []
    context = {"school_class": cls, "school": cls.school, "student": student, "period": period, "subjects": subjects,
               "today": timezone.localdate(), "for_pdf": True}  # fmt: skip
    return _pdf(request, "reports/letter.html", context, f"pismo-{student.pk}.pdf")


def _pdf(request: ActorRequest, template: str, context: dict, filename: str) -> HttpResponse:
    try:
        pdf = html_to_pdf(render_to_string(template, context, request=request))
    except PdfUnavailable:
        return HttpResponse(_("PDF сейчас недоступен."), status=503, content_type="text/plain; charset=utf-8")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
