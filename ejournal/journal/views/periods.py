"""Term marks on the journal page: one student's, all suggested ones at once, and a request to correct a refused one."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from ejournal.access.decorators import access_rule
from ejournal.access.http import ActorRequest
from ejournal.core.views import confirmed, question_page
from ejournal.schools.services import date_ru

from .. import selectors, services
from ..forms import ConfirmAllForm, PeriodCorrectionForm, PeriodMarkForm
from .grid import _journal, _saved


def _journal_kwargs(assignment, term) -> dict:
    return {"assignment_id": assignment.pk, "term_id": term.pk}


@require_POST
@access_rule("can_keep_journal")
def period_mark(request: ActorRequest, assignment_id: int, term_id: int) -> HttpResponse:
    """Confirm the suggested term mark (an empty value) or set another one; a late refusal offers a correction."""
    assignment, term, _terms = _journal(request, assignment_id, term_id)
    form = PeriodMarkForm(request.POST)
    if not form.is_valid():
        message = " ".join(str(e) for errors in form.errors.values() for e in errors)
        return _saved(request, assignment, term, status=400, message=message)
    data = form.cleaned_data
    student = selectors.student_of_school(actor=request.actor, pk=data["student"])
    try:
        services.period_mark_set(
            assignment=assignment, student=student, value=data["value"], term=term,
            expected_version=data["version"], actor=request.actor,
        )  # fmt: skip
    except ValidationError as exc:
        status = 409 if exc.code == "conflict" else 400
        url = ""
        if exc.code == "late":
            url = reverse("journal:period_correction_new", kwargs=_journal_kwargs(assignment, term))
            url = f"{url}?{urlencode({'student': student.pk, 'value': data['value']})}"
        return _saved(request, assignment, term, students=[student.pk] if status == 409 else [], status=status,
                      message=" ".join(exc.messages), correction_url=url)  # fmt: skip
    return _saved(request, assignment, term, students=[student.pk], message=_("Отметка за период сохранена."))


@require_POST
@access_rule("can_keep_journal")
def period_confirm_all(request: ActorRequest, assignment_id: int, term_id: int) -> HttpResponse:
    """«Подтвердить все предложенные»: one transaction for the whole journal, then a summary in Russian."""
    assignment, term, _terms = _journal(request, assignment_id, term_id)
    form = ConfirmAllForm(request.POST)
    include_sparse = form.is_valid() and form.cleaned_data["include_sparse"]
    if not confirmed(request):
        return _confirm_all_question(request, assignment, term, include_sparse)
    try:
        summary = services.period_marks_confirm_all(
            assignment=assignment, term=term, include_sparse=include_sparse, actor=request.actor
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, summary.message())
    return redirect(reverse("journal:grid", kwargs=_journal_kwargs(assignment, term)))


def _confirm_all_question(request: ActorRequest, assignment, term, include_sparse: bool) -> HttpResponse:
    """How many term marks the button would set; before the term's last day, that it has not ended yet.

    The Regulation sets term marks *by* the last day of the term (REQUIREMENTS §2), not from it: setting them
    earlier is allowed, but the teacher is told the date, as marks given after today would not count.
    """
    grid = reverse("journal:grid", kwargs=_journal_kwargs(assignment, term))
    try:
        preview = services.period_marks_confirm_all_preview(
            assignment=assignment, term=term, include_sparse=include_sparse, actor=request.actor
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect(grid)
    if not preview.confirmed:
        messages.info(request, preview.message())
        return redirect(grid)
    lines = [
        ngettext("Отметка за период «%(term)s» будет выставлена %(n)s ученику — предложенная по среднему баллу.",
                 "Отметки за период «%(term)s» будут выставлены %(n)s ученикам — предложенные по среднему баллу.",
                 preview.confirmed) % {"term": term, "n": preview.confirmed},
    ]  # fmt: skip
    if preview.skipped():
        lines.append(preview.skipped())
    today = timezone.localdate()
    warning = ""
    if today < term.ends_on:
        warning = _(
            "Период ещё не закончился: он заканчивается %(date)s. Отметки, поставленные после сегодняшнего дня, "
            "в отметку за период не войдут — её придётся исправлять вручную."
        ) % {"date": date_ru(term.ends_on)}
    return question_page(
        request, title=_("Подтвердить все предложенные отметки за период?"), lines=lines, warning=warning,
        confirm=ngettext("Выставить %(n)s отметку", "Выставить %(n)s отметки", preview.confirmed)
        % {"n": preview.confirmed},
        cancel=grid,
    )  # fmt: skip


@access_rule("can_keep_journal")
def period_correction_new(request: ActorRequest, assignment_id: int, term_id: int) -> HttpResponse:
    """A refused term mark: file a correction request with the value and a reason (side panel)."""
    assignment, term, _terms = _journal(request, assignment_id, term_id)
    form = PeriodCorrectionForm(request.POST if request.method == "POST" else None, initial=request.GET.dict())
    filed = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        student = selectors.student_of_school(actor=request.actor, pk=data["student"])
        try:
            filed = [
                services.period_mark_correction_file(
                    assignment=assignment, term=term, student=student, value=data["value"], reason=data["reason"],
                    actor=request.actor,
                )
            ]  # fmt: skip
        except ValidationError as exc:
            form.add_error(None, exc)
    status = 400 if request.method == "POST" and filed is None else 200
    context = {
        "form": form, "filed": filed,
        "action": reverse("journal:period_correction_new", kwargs=_journal_kwargs(assignment, term)),
        "hidden": [form["student"], form["value"]], "what": _("Отметка за период: %(value)s") % {
            "value": form["value"].value() or "—"},
    }  # fmt: skip
    return render(request, "journal/partials/correction_form.html", context, status=status)
