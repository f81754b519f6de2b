"""The class teacher's pages: the class at a glance for a term, and reasons for absences."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ejournal.access.decorators import access_rule
from ejournal.access.http import ActorRequest
from ejournal.core.views import form_flow

from .. import exports, presenters, selectors, services
from ..forms import ReasonsForm
from ..models import AttendanceCode
from ..rules import rules_for


def _overview(request: ActorRequest, class_id: int, term_id: int) -> dict:
    cls = selectors.class_get(actor=request.actor, pk=class_id)
    term = selectors.term_of_class(school_class=cls, pk=term_id)
    overview = selectors.class_overview(actor=request.actor, school_class=cls, term=term)
    thresholds = rules_for(cls.school).suggestion_thresholds
    pass_average = min(limit for limit, _mark in thresholds) if thresholds else None
    return {
        "cls": cls, "term": term, "overview": overview, "rows": presenters.overview_rows(overview, pass_average),
        "codes": [c.value for c in AttendanceCode],
    }  # fmt: skip


@access_rule("can_view_journal")
def class_overview(request: ActorRequest, class_id: int, term_id: int) -> HttpResponse:
    context = _overview(request, class_id, term_id)
    context["terms"] = selectors.class_terms(context["cls"])
    return render(request, "journal/class_overview.html", context)


@access_rule("can_view_journal")
def class_overview_current(request: ActorRequest, class_id: int) -> HttpResponse:
    """From the class page: the overview of the class's current term."""
    cls = selectors.class_get(actor=request.actor, pk=class_id)
    term = selectors.term_current(selectors.class_terms(cls))
    if term is None:
        raise Http404
    return class_overview(request, class_id=cls.pk, term_id=term.pk)


@access_rule("can_view_journal")
def class_overview_xlsx(request: ActorRequest, class_id: int, term_id: int) -> HttpResponse:
    context = _overview(request, class_id, term_id)
    content = exports.class_overview_xlsx(**context)
    response = HttpResponse(content, content_type=exports.XLSX)
    name = f"class-{context['cls'].pk}-term-{context['term'].pk}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@access_rule("can_view_journal")
def class_year(request: ActorRequest, class_id: int) -> HttpResponse:
    """The class teacher's year view: year, exam and final marks of every subject (decision 0010)."""
    cls = selectors.class_get(actor=request.actor, pk=class_id)
    view = selectors.class_year(actor=request.actor, school_class=cls)
    context = {"cls": cls, "view": view, "rows": presenters.class_year_rows(view), "terms": selectors.class_terms(cls)}
    return render(request, "journal/class_year.html", context)


@access_rule("can_view_journal")
def absence_reasons(request: ActorRequest, class_id: int) -> HttpResponse:
    """The class teacher turns «н» into «б» or «уп» for chosen students over a date range, naming the document."""
    cls = selectors.class_get(actor=request.actor, pk=class_id)
    students = selectors.class_students(actor=request.actor, school_class=cls)
    form = ReasonsForm(request.POST or None, students=students)
    changed = {}

    def call(data):
        changed["n"] = services.attendance_reasons_set(
            students=data["students"], date_from=data["date_from"], date_to=data["date_to"], code=data["code"],
            note=data["note"], actor=request.actor,
        )  # fmt: skip

    url = reverse("journal:absence_reasons", kwargs={"class_id": cls.pk})
    return form_flow(
        request, form, call,
        success=_LazyCount(changed), done=url, back=reverse("journal:my"),
        title=_("Причины пропусков, %(cls)s") % {"cls": cls}, submit=_("Указать причину"),
        intro=_("Отметки «н» выбранных учеников за эти дни станут «б» или «уп»; опоздания не меняются."),
    )  # fmt: skip


class _LazyCount:
    """The success message names how many lessons changed, known only after the service ran."""

    def __init__(self, box: dict):
        self.box = box

    def __str__(self) -> str:
        n = self.box.get("n", 0)
        return (
            ngettext("Изменён %(n)s урок.", "Изменено %(n)s урока.", n) % {"n": n}
            if n
            else _("Пропусков «н» за эти дни не найдено: ничего не изменено.")
        )
