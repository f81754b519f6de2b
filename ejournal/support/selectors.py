"""Reads of the support desk, scoped to the acting role: lists, a request with its thread, monthly figures."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from ejournal.access.policy import Actor
from ejournal.access.roles import CITY_ROLES, SCHOOL_ADMIN_ROLES, Role

from .models import SupportAttachment, SupportMessage, SupportRequest


def _reached_school_ids(actor: Actor) -> set[int]:
    if actor.role in SCHOOL_ADMIN_ROLES and actor.school_id:
        return {actor.school_id}
    if actor.role == Role.DISTRICT_OFFICER or actor.role in CITY_ROLES:
        return set(actor.school_ids)
    return set()


def support_requests_list(*, actor: Actor, status: str = "", school_id: int | None = None) -> QuerySet[SupportRequest]:
    """Requests of the schools the actor reaches, newest first; two queries however many there are."""
    qs = SupportRequest.objects.filter(school_id__in=_reached_school_ids(actor)).select_related("school", "created_by")
    if status in SupportRequest.Status.values:
        qs = qs.filter(status=status)
    if school_id:
        qs = qs.filter(school_id=school_id)
    return qs.annotate(message_count=Count("messages")).order_by("-created_at", "-id")


def support_request_get(*, actor: Actor, pk: int) -> SupportRequest:
    """One request with its thread and files; another school's request gives 404."""
    messages = SupportMessage.objects.select_related("author").prefetch_related(
        Prefetch("attachments", queryset=SupportAttachment.objects.order_by("id"))
    )
    try:
        return (
            SupportRequest.objects.select_related("school", "created_by")
            .prefetch_related(Prefetch("messages", queryset=messages))
            .get(pk=pk, school_id__in=_reached_school_ids(actor))
        )
    except SupportRequest.DoesNotExist:
        raise Http404 from None


def support_attachment_get(*, actor: Actor, pk: int) -> SupportAttachment:
    try:
        return SupportAttachment.objects.get(pk=pk, school_id__in=_reached_school_ids(actor))
    except SupportAttachment.DoesNotExist:
        raise Http404 from None


@dataclass(frozen=True)
class SupportFigures:
    filed: int = 0  # filed during the month
    closed: int = 0  # closed during the month
    open: int = 0  # still open at the end of the month


def support_month_figures(*, actor: Actor, year: int, month: int) -> dict[int, SupportFigures]:
    """Per school the actor reaches: requests filed and closed in the month, open at its end. One query."""
    start = timezone.make_aware(dt.datetime(year, month, 1))
    end = timezone.make_aware(dt.datetime(year + month // 12, month % 12 + 1, 1))
    rows = (
        SupportRequest.objects.filter(school_id__in=_reached_school_ids(actor), created_at__lt=end)
        .values("school_id")
        .annotate(
            filed=Count("id", filter=Q(created_at__gte=start)),
            closed=Count("id", filter=Q(closed_at__gte=start, closed_at__lt=end)),
            open=Count("id", filter=Q(closed_at__isnull=True) | Q(closed_at__gte=end)),
        )
    )
    return {r["school_id"]: SupportFigures(filed=r["filed"], closed=r["closed"], open=r["open"]) for r in rows}
