"""The journal page of one class (subgroup) × subject × term, and the saves its cells make with htmx."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ejournal.access.decorators import access_rule
from ejournal.access.http import ActorRequest

from .. import presenters, selectors, services
from ..batch import batch
from ..forms import CellsForm, CorrectionForm


@access_rule("can_view_journal")
def my(request: ActorRequest) -> HttpResponse:
    """The journals the teacher keeps (administration: every journal of the school), each to its current term."""
    return render(request, "journal/my.html", {"rows": selectors.my_journals(actor=request.actor)})


def _journal(request: ActorRequest, assignment_id: int, term_id: int):
    """The assignment, the term and the class's terms (read once: the page and its saves reuse them)."""
    assignment = selectors.assignment_get(actor=request.actor, pk=assignment_id)
    terms = selectors.class_terms(assignment.school_class)
    return assignment, selectors.term_of_class(school_class=assignment.school_class, pk=term_id, terms=terms), terms


@access_rule("can_view_journal")
def grid(request: ActorRequest, assignment_id: int, term_id: int) -> HttpResponse:
    assignment, term, terms = _journal(request, assignment_id, term_id)
    with batch():  # the school's constants and rule values: one cache round trip for the page
        page = selectors.journal_page(actor=request.actor, assignment=assignment, term=term, terms=terms)
    kinds = list(page.grid.work_types.values())
    context = {
        "page": page, "assignment": assignment, "term": term,
        "rows": presenters.grid_rows(page.grid),
        "history_url": "" if page.editable else presenters.history_url_pattern(),
        "lessons": [presenters.lesson_view(lesson, selectors.today(), kinds) for lesson in page.grid.lessons],
        "editable": page.editable,
    }  # fmt: skip
    return render(request, "journal/grid.html", context)


@access_rule("can_view_journal")
def lesson(request: ActorRequest, lesson_id: int) -> HttpResponse:
    """From «Сегодня»: the journal of the lesson's class and subject, at the lesson's column."""
    lesson_ = selectors.lesson_get(actor=request.actor, pk=lesson_id)
    term = selectors.term_current(selectors.class_terms(lesson_.school_class), lesson_.date)
    if term is None:
        raise Http404
    url = reverse("journal:grid", kwargs={"assignment_id": lesson_.assignment_id, "term_id": term.pk})
    return redirect(f"{url}#lh-{lesson_.pk}")


def _saved(request, assignment, term, *, edits=(), state="saved", status=200, message="", code="", students=(),
           correction_url=""):  # fmt: skip
    """The status line, and out of band: the sent cells (saved, failed or current) and their students' summaries.

    Only these are read and rendered (`selectors.journal_cells`), not the whole grid.
    `correction_url` offers «Запросить исправление» (a refused period mark); a refused single cell gets its own.
    """
    only = {e.student_id for e in edits} | set(students)
    keys = {(e.student_id, e.lesson_id) for e in edits}
    grid = selectors.journal_cells(actor=request.actor, assignment=assignment, term=term, keys=keys, only=only)
    if code == "late" and len(edits) == 1:
        query = urlencode({"cells": presenters.edits_json(edits)})
        correction_url = reverse("journal:correction_new", kwargs={"assignment_id": assignment.pk, "term_id": term.pk})
        correction_url = f"{correction_url}?{query}"
    editable = selectors.journal_editable(actor=request.actor, assignment=assignment, term=term)
    cells, summaries = presenters.saved_views(grid, edits, state)
    context = {
        "cells": cells, "summaries": summaries, "editable": editable, "message": message,
        "history_url": "" if editable else presenters.history_url_pattern(), "ok": status == 200,
        "correction_url": correction_url,
    }  # fmt: skip
    return render(request, "journal/partials/saved.html", context, status=status)


@require_POST
@access_rule("can_keep_journal")
def cells(request: ActorRequest, assignment_id: int, term_id: int) -> HttpResponse:
    """Save typed cells (one, a pasted column or a fill), all or nothing."""
    with batch():  # the answer reuses what the save read (the school's constants, students, lessons)
        return _cells(request, assignment_id, term_id)


def _cells(request: ActorRequest, assignment_id: int, term_id: int) -> HttpResponse:
    assignment, term, _terms = _journal(request, assignment_id, term_id)
    form = CellsForm(request.POST)
    if not form.is_valid():
        return _saved(request, assignment, term, status=400, message=" ".join(str(e) for e in form.errors["cells"]))
    edits = form.cleaned_data["cells"]
    try:
        keys = services.journal_cells_set(assignment=assignment, term=term, edits=edits, actor=request.actor)
    except ValidationError as exc:
        conflict = exc.code == "conflict"
        return _saved(
            request, assignment, term, edits=edits, state="conflict" if conflict else "failed",
            status=409 if conflict else 400, message=" ".join(exc.messages), code=exc.code or "",
        )  # fmt: skip
    message = _("Сохранено.") if len(edits) == 1 else _("Сохранено клеток: %(n)s.") % {"n": len(keys)}
    return _saved(request, assignment, term, edits=edits, message=message)


@access_rule("can_view_journal")
def cell_history(request: ActorRequest, lesson_id: int, student_id: int) -> HttpResponse:
    """Every change of one cell: who, in which role, when, old → new, why (a side panel of the grid)."""
    lesson_, student = selectors.history_cell_get(actor=request.actor, lesson_id=lesson_id, student_id=student_id)
    records = selectors.cell_history(actor=request.actor, lesson=lesson_, student=student)
    context = {"lesson": lesson_, "student": student, "rows": presenters.history_rows(records)}
    return render(request, "journal/partials/history.html", context)


@access_rule("can_keep_journal")
def correction_new(request: ActorRequest, assignment_id: int, term_id: int) -> HttpResponse:
    """A refused cell: file a correction request with the typed value and a reason (side panel)."""
    assignment, term, _terms = _journal(request, assignment_id, term_id)
    if request.method == "POST":
        form = CorrectionForm(request.POST)
    else:
        form = CorrectionForm(initial={"cells": request.GET.get("cells", "")})
    filed = None
    if request.method == "POST" and form.is_valid():
        try:
            filed = services.cell_correction_file(
                assignment=assignment, term=term, edit=form.cleaned_data["cells"][0],
                reason=form.cleaned_data["reason"], actor=request.actor,
            )  # fmt: skip
        except ValidationError as exc:
            form.add_error(None, exc)
    status = 400 if request.method == "POST" and filed is None else 200
    context = {
        "form": form, "filed": filed, "hidden": [form["cells"]],
        "cell": _correction_cell(request, assignment, term, form),
        "action": reverse("journal:correction_new", kwargs={"assignment_id": assignment.pk, "term_id": term.pk}),
    }  # fmt: skip
    return render(request, "journal/partials/correction_form.html", context, status=status)


def _correction_cell(request: ActorRequest, assignment, term, form: CorrectionForm):
    """Which student, lesson and current value the request is for (None when the cell cannot be read)."""
    cells = CellsForm({"cells": form.data.get("cells") if form.is_bound else form.initial.get("cells", "")})
    if not cells.is_valid() or not cells.cleaned_data["cells"]:
        return None
    edit = cells.cleaned_data["cells"][0]
    keys = {(edit.student_id, edit.lesson_id)}
    grid = selectors.journal_cells(actor=request.actor, assignment=assignment, term=term, keys=keys,
                                   only={edit.student_id})  # fmt: skip
    return presenters.correction_cell(grid, edit)
