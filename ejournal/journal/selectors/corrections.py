"""The deputy head's queues: correction requests, the school's terms and their closures."""

from __future__ import annotations

from collections import defaultdict
from types import SimpleNamespace

from django.db.models import Count, Q
from django.shortcuts import get_object_or_404

from ejournal.access import policy
from ejournal.access.policy import Actor
from ejournal.schools.models import SchoolClass, Term

from ..models import CorrectionRequest, TermClosure


def corrections_queue(*, actor: Actor) -> SimpleNamespace:
    """Pending requests of the school first, then the 50 latest decided ones (deputy head, director)."""
    policy.enforce(actor, "can_approve_correction")
    qs = CorrectionRequest.objects.filter(school=actor.school_id).select_related(
        "lesson__school_class", "lesson__subject", "student", "filed_by", "decided_by", "term"
    )
    return SimpleNamespace(
        pending=list(qs.filter(status=CorrectionRequest.Status.PENDING).order_by("filed_at", "id")),
        decided=list(qs.exclude(status=CorrectionRequest.Status.PENDING)[:50]),
    )


def correction_get(*, actor: Actor, pk: int) -> CorrectionRequest:
    request = get_object_or_404(CorrectionRequest, pk=pk, school_id=actor.school_id)
    policy.enforce(actor, "can_approve_correction", request)
    return request


def my_corrections(*, actor: Actor, limit: int = 200) -> list[CorrectionRequest]:
    """The requests the actor filed in their school, newest first, with what they ask and who decided."""
    policy.enforce(actor, "can_view_own_corrections")
    return list(
        CorrectionRequest.objects.filter(filed_by_id=actor.user_id, school=actor.school_id)
        .select_related("lesson__school_class", "lesson__subject", "student", "decided_by", "term", "subject")
        .order_by("-filed_at", "-id")[:limit]
    )


def corrections_unseen(*, actor: Actor) -> int:
    """How many decisions on the actor's requests they have not seen yet (the notice on their pages)."""
    if not policy.check(actor, "can_view_own_corrections"):
        return 0
    return CorrectionRequest.objects.filter(
        filed_by_id=actor.user_id, school=actor.school_id, decided_at__isnull=False, decision_seen_at__isnull=True
    ).count()


def term_closing(*, actor: Actor) -> SimpleNamespace:
    """The school's terms of the current year with their closures and the classes (`active_students` counted)."""
    policy.enforce(actor, "can_close_term")
    terms = list(Term.objects.filter(school=actor.school_id, year__is_current=True).order_by("starts_on", "min_grade"))
    classes = list(
        SchoolClass.objects.filter(school=actor.school_id, year__is_current=True)
        .annotate(active_students=Count("students", filter=Q(students__is_active=True)))
        .order_by("grade", "letter")
    )
    closures = defaultdict(list)
    for c in TermClosure.objects.filter(term__in=terms).select_related("school_class", "closed_by"):
        closures[c.term_id].append(c)
    return SimpleNamespace(terms=terms, classes=classes, closures=closures)


def term_get(*, actor: Actor, pk: int) -> Term:
    return get_object_or_404(Term, pk=pk, school_id=actor.school_id)


def closure_get(*, actor: Actor, pk: int) -> TermClosure:
    closure = get_object_or_404(TermClosure.objects.select_related("term"), pk=pk, school_id=actor.school_id)
    policy.enforce(actor, "can_close_term", closure)
    return closure
