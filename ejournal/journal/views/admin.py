"""The deputy head's pages: the correction queue with decisions, and closing or reopening terms."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from ejournal.access.decorators import access_rule
from ejournal.access.http import ActorRequest
from ejournal.core.views import button_flow, confirmed, question_page
from ejournal.schools.services import date_ru

from .. import presenters, selectors, services
from ..forms import CloseForm, DecisionForm, ReopenForm


@access_rule("can_approve_correction")
def corrections(request: ActorRequest) -> HttpResponse:
    queue = selectors.corrections_queue(actor=request.actor)
    context = {"rows": presenters.correction_rows(queue.pending), "decided": presenters.correction_rows(queue.decided)}
    return render(request, "journal/corrections.html", context)


@access_rule("can_view_own_corrections")
def my_corrections(request: ActorRequest) -> HttpResponse:
    """«Мои запросы»: the teacher's requests with their decisions; decisions shown here count as seen."""
    rows = presenters.correction_rows(selectors.my_corrections(actor=request.actor))
    services.corrections_seen(actor=request.actor, ids=[r.request.pk for r in rows if r.unseen])
    return render(request, "journal/my_corrections.html", {"rows": rows})


@require_POST
@access_rule("can_approve_correction")
def correction_decide(request: ActorRequest, pk: int) -> HttpResponse:
    correction = selectors.correction_get(actor=request.actor, pk=pk)
    form = DecisionForm(request.POST)
    done = reverse("journal:corrections")
    if not form.is_valid():
        messages.error(request, _("Выберите решение."))
        return redirect(done)
    note = form.cleaned_data["note"]
    if form.cleaned_data["decision"] == "approve":
        call = lambda: services.correction_request_approve(request=correction, note=note, actor=request.actor)  # noqa: E731
        success = _("Исправление разрешено: учитель может внести его в журнал.")
    else:
        call = lambda: services.correction_request_reject(request=correction, note=note, actor=request.actor)  # noqa: E731
        success = _("Запрос отклонён.")
    return button_flow(request, call, success=success, done=done)


@access_rule("can_close_term")
def terms(request: ActorRequest) -> HttpResponse:
    page = selectors.term_closing(actor=request.actor)
    today = timezone.localdate()
    rows = [
        {"term": t, "closures": page.closures.get(t.pk, []),
         "whole": any(c.school_class_id is None for c in page.closures.get(t.pk, [])),
         "closable_from": None if today >= services.term_closable_from(t) else services.term_closable_from(t),
         "form": CloseForm(classes=_term_classes(page, t), auto_id=f"id_t{t.pk}_%s")}
        for t in page.terms
    ]  # fmt: skip
    return render(request, "journal/terms.html", {"rows": rows, "reopen_form": ReopenForm()})


def _term_classes(page, term) -> list:
    return [c for c in page.classes if term.min_grade <= c.grade <= term.max_grade]


@require_POST
@access_rule("can_close_term")
def term_close(request: ActorRequest, term_id: int) -> HttpResponse:
    """Close a term for the chosen class (or the whole school) once it has ended, after the question."""
    term = selectors.term_get(actor=request.actor, pk=term_id)
    page = selectors.term_closing(actor=request.actor)
    form = CloseForm(request.POST, classes=_term_classes(page, term))
    done = reverse("journal:terms")
    if not form.is_valid():
        messages.error(request, _("Выберите класс из списка."))
        return redirect(done)
    cls = next((c for c in page.classes if c.pk == form.cleaned_data["school_class"]), None)
    if not confirmed(request):
        try:
            services.term_close_check(term=term, school_class=cls, actor=request.actor)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return redirect(done)
        return _term_close_question(request, term, cls, _term_classes(page, term), done)
    return button_flow(
        request,
        lambda: services.term_close(term=term, school_class=cls, actor=request.actor),
        success=_("Период «%(term)s» закрыт.") % {"term": term},
        done=done,
    )


def _term_close_question(request: ActorRequest, term, cls, term_classes: list, done: str) -> HttpResponse:
    classes = [cls] if cls is not None else term_classes
    students = sum(c.active_students for c in classes)
    scope = (_("класс %(cls)s") % {"cls": cls}) if cls is not None else _("вся школа")
    return question_page(
        request,
        title=_("Закрыть период «%(term)s» (%(scope)s)?") % {"term": term, "scope": scope},
        lines=[
            _("Период: %(first)s – %(last)s.") % {"first": date_ru(term.starts_on), "last": date_ru(term.ends_on)},
            ngettext(
                "Закрывается для %(n)s класса: %(names)s.", "Закрывается для %(n)s классов: %(names)s.", len(classes)
            )
            % {"n": len(classes), "names": ", ".join(str(c) for c in classes)},
            _("Учеников в них: %(n)s.") % {"n": students},
            _(
                "После закрытия отметки, пропуски, темы и задания этого периода меняются только по разрешённому "
                "запросу на исправление."
            ),
        ],
        confirm=_("Закрыть период"),
        cancel=done,
    )


@require_POST
@access_rule("can_close_term")
def term_reopen(request: ActorRequest, pk: int) -> HttpResponse:
    closure = selectors.closure_get(actor=request.actor, pk=pk)
    form = ReopenForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    return button_flow(
        request,
        lambda: services.term_reopen(closure=closure, reason=reason, actor=request.actor),
        success=_("Период «%(term)s» снова открыт.") % {"term": closure.term},
        done=reverse("journal:terms"),
    )
