"""Year, exam and final marks of a journal: the year sheet, one mark, «принять предложенные», a correction."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from ejournal.access import policy
from ejournal.access.decorators import access_rule
from ejournal.access.http import ActorRequest
from ejournal.core.views import confirmed, question_page

from .. import selectors, services
from ..forms import YearConfirmAllForm, YearCorrectionForm, YearMarkForm
from ..models import PeriodKind


def _sheet_page(request: ActorRequest, assignment, *, status: int = 200, error: str = "", correction_url: str = ""):
    sheet = selectors.year_sheet(actor=request.actor, assignment=assignment)
    context = {
        "assignment": assignment, "sheet": sheet, "error": error, "correction_url": correction_url,
        "editable": policy.check(request.actor, "can_keep_journal", assignment),
    }  # fmt: skip
    return render(request, "journal/year.html", context, status=status)


@access_rule("can_view_journal")
def year(request: ActorRequest, assignment_id: int) -> HttpResponse:
    """The journal's year sheet: term marks, the suggested and set year marks, exam and final marks."""
    assignment = selectors.assignment_get(actor=request.actor, pk=assignment_id)
    return _sheet_page(request, assignment)


@require_POST
@access_rule("can_keep_journal")
def year_mark(request: ActorRequest, assignment_id: int) -> HttpResponse:
    """Set one student's year, exam or final mark; a late refusal offers a correction request."""
    assignment = selectors.assignment_get(actor=request.actor, pk=assignment_id)
    form = YearMarkForm(request.POST)
    if not form.is_valid():
        message = " ".join(str(e) for errors in form.errors.values() for e in errors)
        return _sheet_page(request, assignment, status=400, error=message)
    data = form.cleaned_data
    student = selectors.student_of_school(actor=request.actor, pk=data["student"])
    try:
        services.period_mark_set(
            assignment=assignment, student=student, value=data["value"], kind=data["kind"],
            expected_version=data["version"], actor=request.actor,
        )  # fmt: skip
    except ValidationError as exc:
        url = ""
        if exc.code == "late":
            query = urlencode({"student": student.pk, "kind": data["kind"], "value": data["value"]})
            url = f"{reverse('journal:year_correction_new', kwargs={'assignment_id': assignment.pk})}?{query}"
        status = 409 if exc.code == "conflict" else 400
        return _sheet_page(request, assignment, status=status, error=" ".join(exc.messages), correction_url=url)
    messages.success(
        request,
        _("%(student)s: %(kind)s отметка «%(value)s» сохранена.")
        % {"student": student.full_name, "kind": PeriodKind(data["kind"]).label, "value": data["value"]},
    )
    return redirect(f"{reverse('journal:year', kwargs={'assignment_id': assignment.pk})}#y-{student.pk}")


@require_POST
@access_rule("can_keep_journal")
def year_confirm_all(request: ActorRequest, assignment_id: int) -> HttpResponse:
    """«Принять предложенные» for year or final marks: asks first, then one transaction for the journal."""
    assignment = selectors.assignment_get(actor=request.actor, pk=assignment_id)
    page = reverse("journal:year", kwargs={"assignment_id": assignment.pk})
    form = YearConfirmAllForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Выберите, какие отметки принять: годовые или итоговые."))
        return redirect(page)
    kind = form.cleaned_data["kind"]
    try:
        if not confirmed(request):
            preview = services.year_marks_confirm_all_preview(assignment=assignment, kind=kind, actor=request.actor)
            if not preview.confirmed:
                messages.info(request, preview.message())
                return redirect(page)
            return _question(request, preview, page)
        summary = services.year_marks_confirm_all(assignment=assignment, kind=kind, actor=request.actor)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, summary.message())
    return redirect(page)


def _question(request: ActorRequest, preview, page: str) -> HttpResponse:
    label = PeriodKind(preview.kind).label
    lines = [
        ngettext("Отметка «%(kind)s» будет выставлена %(n)s ученику — предложенная.",
                 "Отметка «%(kind)s» будет выставлена %(n)s ученикам — предложенная.",
                 preview.confirmed) % {"kind": label, "n": preview.confirmed},
    ]  # fmt: skip
    if preview.skipped():
        lines.append(preview.skipped())
    return question_page(
        request, title=_("Принять предложенные отметки?"), lines=lines, cancel=page,
        confirm=ngettext("Выставить %(n)s отметку", "Выставить %(n)s отметки", preview.confirmed)
        % {"n": preview.confirmed},
    )  # fmt: skip


@access_rule("can_keep_journal")
def year_correction_new(request: ActorRequest, assignment_id: int) -> HttpResponse:
    """A refused year, exam or final mark: file a correction request with the value and a reason."""
    assignment = selectors.assignment_get(actor=request.actor, pk=assignment_id)
    form = YearCorrectionForm(request.POST if request.method == "POST" else None, initial=request.GET.dict())
    filed = None
    student = None
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        student = selectors.student_of_school(actor=request.actor, pk=data["student"])
        try:
            filed = services.period_mark_correction_file(
                assignment=assignment, term=None, student=student, value=data["value"], kind=data["kind"],
                reason=data["reason"], actor=request.actor,
            )  # fmt: skip
        except ValidationError as exc:
            form.add_error(None, exc)
    kind = form["kind"].value()
    context = {
        "assignment": assignment, "form": form, "filed": filed,
        "what": capfirst(_("%(kind)s отметка: %(value)s") % {
            "kind": PeriodKind(kind).label if kind in PeriodKind.values else "", "value": form["value"].value() or "—"}),
        "back": reverse("journal:year", kwargs={"assignment_id": assignment.pk}),
    }  # fmt: skip
    status = 400 if form.is_bound and filed is None else 200
    return render(request, "journal/year_correction.html", context, status=status)
