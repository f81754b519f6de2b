"""The deputy head's filling control: the dashboard, the drill-down lists, the справка (HTML and PDF)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from ejournal.access import policy
from ejournal.access.decorators import access_rule
from ejournal.access.http import ActorRequest
from ejournal.core.views import confirmed, question_page
from ejournal.diary.pdf import PdfUnavailable, html_to_pdf

from . import selectors, services
from .filling import GROUPINGS, KINDS, FillingReport, Finding, students_of
from .forms import PeriodForm

GROUPING_TITLES = {
    "teacher": gettext_lazy("Учителя"),
    "class": gettext_lazy("Классы"),
    "subject": gettext_lazy("Предметы"),
}


def _period(request: ActorRequest) -> tuple[PeriodForm, str]:
    form = PeriodForm(request.GET or None)
    keep = {k: request.GET[k] for k in ("month", "date_from", "date_to") if request.GET.get(k)}
    return form, urlencode(keep) if form.is_valid() else ""


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def _link(f: Finding) -> str:
    if f.term_id is None:
        return ""
    url = reverse("journal:grid", kwargs={"assignment_id": f.assignment_id, "term_id": f.term_id})
    return f"{url}#lh-{f.lesson_id}" if f.lesson_id else url


def _rows(report: FillingReport, findings: list[Finding]) -> list[dict]:
    students = students_of(findings)
    return [
        {
            "kind": KINDS[f.kind], "date": f.lesson_date, "number": f.lesson_number, "count": f.count,
            "teacher": report.names["teacher"].get(f.teacher_id, ""), "class": report.names["class"].get(f.class_id, ""),
            "subject": report.names["subject"].get(f.subject_id, ""), "student": students.get(f.student_id, "") if f.student_id else "",
            "required": f.required, "url": _link(f),
        }
        for f in findings
    ]  # fmt: skip


def _context(request: ActorRequest) -> dict:
    form, period_qs = _period(request)
    first, last = form.period()
    report = selectors.filling_report(actor=request.actor, first=first, last=last)
    return {"form": form, "period_qs": period_qs, "report": report, "kinds": list(KINDS.values()),
            "totals": list(zip(KINDS.values(), report.totals().values(), KINDS.keys(), strict=True))}  # fmt: skip


@access_rule("can_view_filling_control")
def dashboard(request: ActorRequest) -> HttpResponse:
    context = _context(request)
    report = context["report"]
    context["tables"] = [(by, GROUPING_TITLES[by], report.table(by)) for by in GROUPINGS]
    context["can_remind"] = policy.check(request.actor, "can_remind_teachers")
    context["journal_check"] = selectors.journal_check(actor=request.actor)
    return render(request, "control/dashboard.html", context, status=400 if context["form"].errors else 200)


@require_POST
@access_rule("can_verify_journal")
def verify(request: ActorRequest) -> HttpResponse:
    """Check the school's journal against its hash chain now (in the background: a large school takes a while)."""
    school = selectors.control_school(actor=request.actor)
    services.journal_verify_start(school=school)
    messages.info(request, _("Проверка журнала запущена. Обновите страницу через минуту, чтобы увидеть результат."))
    return redirect("control:dashboard")


@access_rule("can_view_filling_control")
def findings(request: ActorRequest) -> HttpResponse:
    context = _context(request)
    report = context["report"]
    kind = request.GET.get("kind")
    selected = report.select(
        teacher=_int(request.GET.get("teacher")), school_class=_int(request.GET.get("class")),
        subject=_int(request.GET.get("subject")), kind=kind if kind in KINDS else None,
    )  # fmt: skip
    # A page of findings at a time: a month of a school's density findings is thousands of rows.
    page = Paginator(selected, settings.CONTROL_FINDINGS_PAGE_SIZE).get_page(request.GET.get("page"))
    context.update(rows=_rows(report, list(page.object_list)), page=page, total=len(selected),
                   query=urlencode([(k, request.GET[k]) for k in request.GET if k != "page"]))  # fmt: skip
    return render(request, "control/findings.html", context, status=400 if context["form"].errors else 200)


NOTE_PARTS = {"summary": "control/note.html", "details": "control/note_details.html"}


def _note_html(request: ActorRequest, *, for_pdf: bool = False) -> tuple[str, int, str]:
    """The справка: its summary (totals, a row per teacher), or its second part, the findings per teacher.

    `part=details` (optionally `teacher=<id>`) is the second part; a person reads the summary first.
    """
    context = _context(request)
    report = context["report"]
    part = request.GET.get("part") if request.GET.get("part") in NOTE_PARTS else "summary"
    teacher = _int(request.GET.get("teacher"))
    context.update(for_pdf=for_pdf, part=part, teacher_id=teacher)
    if part == "summary":
        context["tables"] = [("teacher", GROUPING_TITLES["teacher"], report.table("teacher"))]
    else:
        context["teachers"] = report.details(teacher=teacher)
    template = NOTE_PARTS[part or "summary"]  # `part` is one of them (checked above)
    html = render_to_string(template, context, request=request)
    return html, 400 if context["form"].errors else 200, part or "summary"


@access_rule("can_view_filling_control")
def note(request: ActorRequest) -> HttpResponse:
    html, status, _part = _note_html(request)
    return HttpResponse(html, status=status)


@access_rule("can_view_filling_control")
def note_pdf(request: ActorRequest) -> HttpResponse:
    """The summary's PDF, or one teacher's findings; the whole school's findings are a background job."""
    if request.GET.get("part") == "details" and _int(request.GET.get("teacher")) is None:
        messages.info(request, _("Вторая часть справки для всей школы готовится в фоне: нажмите «Подготовить PDF»."))
        _form, period_qs = _period(request)
        return redirect(f"{reverse('control:note')}?part=details&{period_qs}")
    html, status, part = _note_html(request, for_pdf=True)
    if status != 200:
        return HttpResponse(html, status=status)
    try:
        pdf = html_to_pdf(html)
    except PdfUnavailable:
        return HttpResponse(_("PDF сейчас недоступен; распечатайте страницу справки."), status=503,
                            content_type="text/plain; charset=utf-8")  # fmt: skip
    response = HttpResponse(pdf, content_type="application/pdf")
    name = "spravka-ezh.pdf" if part == "summary" else "spravka-ezh-uchitelya.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_POST
@access_rule("can_remind_teachers")
def remind(request: ActorRequest) -> HttpResponse:
    form, period_qs = _period(request)
    back = f"{reverse('control:dashboard')}?{period_qs}"
    if form.errors:
        for error in form.non_field_errors() + [e for f in form for e in f.errors]:
            messages.error(request, str(error))
        return redirect(back)
    first, last = form.period()
    school = selectors.control_school(actor=request.actor)
    if not confirmed(request):
        return _remind_question(request, school, first, last, back)
    result = services.teacher_reminders_send(school=school, first=first, last=last, actor=request.actor)
    messages.success(
        request,
        ngettext("Напоминание отправлено %(n)s учителю.", "Напоминания отправлены %(n)s учителям.", result.sent)
        % {"n": result.sent},
    )
    if result.without_email:
        messages.warning(
            request,
            ngettext(
                "У %(n)s учителя нет адреса электронной почты.",
                "У %(n)s учителей нет адреса электронной почты.",
                result.without_email,
            )
            % {"n": result.without_email},
        )
    return redirect(back)


def _remind_question(request: ActorRequest, school, first, last, back: str) -> HttpResponse:
    """To whom the reminders would go: teachers with findings in the period, with and without an e-mail address."""
    plan = services.teacher_reminders_plan(school=school, first=first, last=last)
    if not plan.with_email:
        messages.info(request, _("Напоминать некому: у учителей с нарушениями за этот период нет адреса почты.")
                      if plan.without_email else _("За этот период напоминать некому: нарушений не найдено."))  # fmt: skip
        return redirect(back)
    lines = [
        _("Период: %(first)s – %(last)s.") % {"first": f"{first:%d.%m.%Y}", "last": f"{last:%d.%m.%Y}"},
        ngettext("Письмо со списком незаполненного уйдёт %(n)s учителю.",
                 "Письма со списками незаполненного уйдут %(n)s учителям.", plan.with_email)
        % {"n": plan.with_email},
    ]  # fmt: skip
    if plan.without_email:
        lines.append(ngettext("У %(n)s учителя нет адреса электронной почты: ему письмо не уйдёт.",
                              "У %(n)s учителей нет адреса электронной почты: им письма не уйдут.",
                              plan.without_email) % {"n": plan.without_email})  # fmt: skip
    return question_page(
        request, title=_("Напомнить учителям по электронной почте?"), lines=lines,
        confirm=ngettext("Отправить %(n)s письмо", "Отправить %(n)s письма", plan.with_email) % {"n": plan.with_email},
        cancel=back,
    )  # fmt: skip


@require_POST
@access_rule("can_view_filling_control")
def note_job_start(request: ActorRequest) -> HttpResponse:
    """Queue the PDF of the whole school's findings per teacher and show its progress."""
    form, _qs = _period(request)
    if form.errors:
        return redirect(f"{reverse('control:note')}?part=details")
    first, last = form.period()
    school = selectors.control_school(actor=request.actor)
    job = services.note_job_start(school=school, first=first, last=last, actor=request.actor)
    return redirect("control:note_job", pk=job.pk)


@access_rule("can_view_filling_control")
def note_job(request: ActorRequest, pk: int) -> HttpResponse:
    job = selectors.note_job_get(actor=request.actor, pk=pk)
    return render(request, "control/note_job.html", {"job": job})


@access_rule("can_view_filling_control")
def note_job_progress(request: ActorRequest, pk: int) -> HttpResponse:
    job = selectors.note_job_get(actor=request.actor, pk=pk)
    return render(request, "control/partials/note_job_progress.html", {"job": job})


@access_rule("can_view_filling_control")
def note_job_pdf(request: ActorRequest, pk: int) -> HttpResponse:
    job = selectors.note_job_get(actor=request.actor, pk=pk, ready=True)
    response = HttpResponse(bytes(job.pdf or b""), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="spravka-ezh-uchitelya-{job.first:%Y%m%d}-{job.last:%Y%m%d}.pdf"'
    )
    return response
