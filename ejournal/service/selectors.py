"""Reads of the municipal service, scoped to the acting user; foreign objects give 404."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet
from django.db.models.functions import Lower
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from ejournal.access import policy
from ejournal.access.policy import Actor
from ejournal.access.roles import Role
from ejournal.accounts.models import User
from ejournal.people.models import Guardian, GuardianLink, RoleAssignment, Student
from ejournal.people.selectors import case_variants
from ejournal.schools.models import School

from .models import Application, Consent
from .rules import service_setting

# --- public -----------------------------------------------------------------------------------


def schools_public() -> QuerySet[School]:
    """Every school of the city for the index of service pages, by district."""
    return School.objects.select_related("district").order_by("district__name", "number", "short_name")


def school_by_code(code: str) -> School:
    return get_object_or_404(School.objects.select_related("district"), code=code)


def application_public_status(*, school: School, number: str, contact: str) -> Application | None:
    """The applicant's own application: its number and the phone or e-mail they gave, both needed.

    A wrong number and a wrong contact look the same, so numbers cannot be tried to read others' status.
    """
    number = number.strip().upper()
    contact = contact.strip()
    if not number or not contact:
        return None
    if "@" in contact:
        match = Q(email__iexact=contact)
    else:
        digits = "".join(ch for ch in contact if ch.isdigit())[-10:]
        if len(digits) < 10:
            return None
        match = Q(phone_digits=digits)
    return Application.objects.filter(match, school=school, number=number).first()


def school_coordinators(school: School) -> list[User]:
    """The school's current journal coordinators: the contacts the public page shows."""
    today = timezone.localdate()
    current = RoleAssignment.objects.filter(user=OuterRef("pk"), school=school, role=Role.JOURNAL_COORDINATOR).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=today)
    )
    return list(User.objects.filter(Exists(current), is_active=True).order_by("last_name", "first_name"))


# --- the register -----------------------------------------------------------------------------


def _scope(actor: Actor) -> QuerySet[Application]:
    if not policy.check(actor, "can_view_service_register"):
        return Application.objects.none()
    return Application.objects.filter(school=actor.school_id)


def deadline_mark(application: Application, today: dt.date) -> Application:
    """Attach `days_left` (negative when late), `overdue` and `days_late` to an application still awaiting a decision."""
    left = (application.due_on - today).days if application.is_open and application.due_on else None
    overdue = left is not None and left < 0
    application.days_left = left  # type: ignore[attr-defined]  # shown by the templates
    application.overdue = overdue  # type: ignore[attr-defined]  # shown by the templates
    application.days_late = -left if left is not None and overdue else 0  # type: ignore[attr-defined]  # shown too
    return application


# The register shows these unless asked for another status: the held queue and spam are apart.
QUEUED_APART = (Application.Status.HELD, Application.Status.SPAM)


def applications_list(*, actor: Actor, status: str = "", overdue: bool = False) -> QuerySet[Application]:
    qs = _scope(actor)
    qs = qs.filter(status=status) if status in Application.Status.values else qs.exclude(status__in=QUEUED_APART)
    if overdue:
        qs = qs.filter(
            status__in=[Application.Status.RECEIVED, Application.Status.IN_WORK], due_on__lt=timezone.localdate()
        )
    return qs.order_by("-received_at", "-id")


def held_count(*, actor: Actor) -> int:
    return _scope(actor).filter(status=Application.Status.HELD).count()


def held_last_id(*, actor: Actor) -> int | None:
    """The newest application of the held queue: a bulk action on "the whole queue" stops there."""
    return _scope(actor).filter(status=Application.Status.HELD).aggregate(m=Max("pk"))["m"]


def held_ids(*, actor: Actor, upto: int) -> list[int]:
    """The ids of the held queue as it was shown: received no later than the application `upto`."""
    return list(_scope(actor).filter(status=Application.Status.HELD, pk__lte=upto).values_list("pk", flat=True))


def applications_chosen(*, actor: Actor, ids: list[int]) -> QuerySet[Application]:
    """The actor's applications among `ids` (foreign ones are silently left out), newest first."""
    return _scope(actor).filter(pk__in=ids).order_by("-received_at", "-id")


@dataclass(frozen=True)
class Duplicate:
    pk: int
    number: str
    same_child: bool  # else the same phone or e-mail


def _fold(name: str) -> str:
    """A name folded to suggest (never decide) a match: case, ё/е, spaces."""
    return " ".join(name.lower().replace("ё", "е").split())


def _child_key(a: Application) -> tuple[str, str, dt.date]:
    return _fold(a.child_last_name), _fold(a.child_first_name), a.child_birth_date


DUPLICATE_FIELDS = (
    "pk", "number", "received_at", "child_last_name", "child_first_name", "child_birth_date", "phone_digits", "email",
)  # fmt: skip


def duplicates_of(*, actor: Actor, applications: list[Application]) -> dict[int, list[Duplicate]]:
    """Probable duplicates of each application: the same school's applications for the same child (name and
    birth date) or from the same phone or e-mail, received within `duplicate_window_days`. One query.

    Only a hint for the coordinator: nothing is merged. Spam is left out.
    """
    if not applications:
        return {}
    window = dt.timedelta(days=service_setting("duplicate_window_days"))
    start = min(a.received_at for a in applications) - window
    end = max(a.received_at for a in applications) + window
    phones = {a.phone_digits for a in applications if a.phone_digits}
    emails = {a.email.lower() for a in applications if a.email}
    near_qs = (
        _scope(actor)
        .annotate(email_lower=Lower("email"))
        .exclude(status=Application.Status.SPAM)
        .filter(received_at__gte=start, received_at__lte=end)
        .filter(
            Q(child_birth_date__in={a.child_birth_date for a in applications})
            | Q(phone_digits__in=phones)
            | Q(email_lower__in=emails)
        )
        .only(*DUPLICATE_FIELDS)
        .order_by("received_at", "id")
    )
    near = list(near_qs)
    out: dict[int, list[Duplicate]] = {}
    for a in applications:
        found = []
        for other in near:
            if other.pk == a.pk or abs(other.received_at - a.received_at) > window:
                continue
            same_child = _child_key(other) == _child_key(a)
            same_contact = bool(a.phone_digits and other.phone_digits == a.phone_digits) or bool(
                a.email and other.email.lower() == a.email.lower()
            )
            if same_child or same_contact:
                found.append(Duplicate(pk=other.pk, number=other.number, same_child=same_child))
        if found:
            out[a.pk] = found
    return out


def application_get(*, actor: Actor, pk: int) -> Application:
    qs = _scope(actor).select_related("student__school_class", "verified_by", "decided_by", "guardian", "school")
    return deadline_mark(get_object_or_404(qs, pk=pk), timezone.localdate())


def application_candidates(*, actor: Actor, application: Application, q: str = "", limit: int = 20) -> list[Student]:
    """Students of the school the application may be about: same name or same surname and birth date first."""
    qs = Student.objects.filter(school=actor.school_id, is_active=True).select_related("school_class")
    if q:
        qs = qs.filter(last_name__in=case_variants(q.strip()))
    else:
        surname = Q(last_name__in=case_variants(application.child_last_name))
        qs = qs.filter(
            surname
            & (
                Q(first_name__in=case_variants(application.child_first_name))
                | Q(birth_date=application.child_birth_date)
            )
        )
    found = list(qs.order_by("last_name", "first_name", "id")[:limit])
    found.sort(
        key=lambda s: (
            s.birth_date != application.child_birth_date,
            s.first_name.lower() != application.child_first_name.lower(),
        )
    )
    return found


# --- guardians and consents -------------------------------------------------------------------


def guardian_get(*, actor: Actor, pk: int) -> Guardian:
    """A guardian this school knows: linked to one of its students or with a consent recorded here."""
    if not policy.check(actor, "can_view_service_register"):
        raise Http404
    links = GuardianLink.objects.filter(guardian=OuterRef("pk"), school=actor.school_id)
    consents = Consent.objects.filter(guardian=OuterRef("pk"), school=actor.school_id)
    return get_object_or_404(Guardian.objects.filter(Exists(links) | Exists(consents)).select_related("user"), pk=pk)


def guardian_consents(*, actor: Actor, guardian: Guardian) -> list[Consent]:
    return list(
        Consent.objects.filter(school=actor.school_id, guardian=guardian)
        .select_related("student__school_class", "recorded_by", "withdrawn_by", "application")
        .order_by("-given_at", "-id")
    )


def consent_get(*, actor: Actor, pk: int) -> Consent:
    if not policy.check(actor, "can_view_service_register"):
        raise Http404
    return get_object_or_404(Consent.objects.filter(school=actor.school_id).select_related("student"), pk=pk)


# --- figures for the monthly report -----------------------------------------------------------


@dataclass(frozen=True)
class MonthFigures:
    school_id: int
    received: int
    granted: int
    refused: int
    average_days: float | None  # from application to decision, of the ones decided this month


def _month_bounds(year: int, month: int) -> tuple[dt.datetime, dt.datetime]:
    start = timezone.make_aware(dt.datetime(year, month, 1))
    end = timezone.make_aware(dt.datetime(year + month // 12, month % 12 + 1, 1))
    return start, end


def _reached_schools(actor: Actor) -> set[int]:
    if actor.role in (Role.DIRECTOR, Role.DEPUTY_HEAD, Role.JOURNAL_COORDINATOR) and actor.school_id:
        return {actor.school_id}
    if actor.role == Role.DISTRICT_OFFICER or actor.role in (Role.MUNICIPAL_OFFICER, Role.METHODIST):
        return set(actor.school_ids)
    return set()


def monthly_figures(*, actor: Actor, year: int, month: int) -> list[MonthFigures]:
    """Per school the actor reaches: applications received, granted and refused in the month, average days.

    Received counts by the day of the application; granted, refused and the
    average by the day of the decision (local time). Two queries.
    """
    start, end = _month_bounds(year, month)
    schools = _reached_schools(actor)
    # The held queue and spam are not applications the school received yet (or at all).
    base = Application.objects.filter(school_id__in=schools).exclude(status__in=QUEUED_APART)
    received = dict(
        base.filter(received_at__gte=start, received_at__lt=end)
        .values("school_id")
        .annotate(n=Count("id"))
        .values_list("school_id", "n")
    )
    decided: dict[int, list[tuple[str, int]]] = {}
    for school_id, status, received_at, decided_at in base.filter(
        decided_at__gte=start, decided_at__lt=end
    ).values_list("school_id", "status", "received_at", "decided_at"):
        days = (timezone.localdate(decided_at) - timezone.localdate(received_at)).days
        decided.setdefault(school_id, []).append((status, days))
    out = []
    for school_id in sorted(schools):
        rows = decided.get(school_id, [])
        out.append(
            MonthFigures(
                school_id=school_id,
                received=received.get(school_id, 0),
                granted=sum(1 for status, _d in rows if status == Application.Status.GRANTED),
                refused=sum(1 for status, _d in rows if status == Application.Status.REFUSED),
                average_days=round(sum(d for _s, d in rows) / len(rows), 1) if rows else None,
            )
        )
    return out
