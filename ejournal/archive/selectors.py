"""Reads of the archive, scoped to the acting user's school."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from types import SimpleNamespace

from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from ejournal.access.policy import Actor, enforce
from ejournal.curriculum.models import TeachingAssignment
from ejournal.journal.models import TermClosure
from ejournal.schools.models import AcademicYear, School, SchoolClass, Term

from .models import ArchiveJob


def archive_school(*, actor: Actor) -> School:
    school = School.objects.filter(pk=actor.school_id).first() if actor.school_id else None
    if school is None:
        raise Http404
    enforce(actor, "can_manage_archive", SimpleNamespace(school_id=school.pk))
    return school


def archive_jobs(*, actor: Actor) -> list[ArchiveJob]:
    """The school's archives, newest first (without their file lists)."""
    school = archive_school(actor=actor)
    return list(ArchiveJob.objects.filter(school=school).select_related("year", "term").defer("files")[:100])


def archive_job_get(*, actor: Actor, pk: int, ready: bool = False) -> ArchiveJob:
    jobs = ArchiveJob.objects.filter(school=archive_school(actor=actor)).select_related("school", "year", "term")
    if ready:
        jobs = jobs.filter(status=ArchiveJob.Status.DONE)
    return get_object_or_404(jobs, pk=pk)


@dataclass(frozen=True)
class Choice:
    value: str  # "y<year id>" or "t<term id>"
    label: str
    year: AcademicYear
    term: Term | None


def archive_choices(*, actor: Actor, today: dt.date) -> list[Choice]:
    """What may be archived now: each ended academic year, and each term closed for the whole school or ended."""
    school = archive_school(actor=actor)
    closed = TermClosure.objects.filter(school=school, school_class__isnull=True).values("term_id")
    terms = (
        Term.objects.filter(school=school)
        .filter(Q(ends_on__lt=today) | Q(pk__in=closed))
        .select_related("year")
        .order_by("-year__starts_on", "-number")
    )
    years = AcademicYear.objects.filter(classes__school=school, ends_on__lt=today).distinct().order_by("-starts_on")
    choices = [Choice(f"y{y.pk}", _("%(year)s — учебный год целиком") % {"year": y.name}, y, None) for y in years]
    choices += [
        Choice(f"t{t.pk}", _("%(year)s — %(term)s") % {"year": t.year.name, "term": t}, t.year, t) for t in terms
    ]
    return choices


def archive_scope(*, school: School, year: AcademicYear) -> dict:
    """How much a build will take, for the question before it: classes and class × subject journals."""
    classes = SchoolClass.objects.filter(school=school, year=year).count()
    journals = (
        TeachingAssignment.objects.filter(school=school, year=year).values("school_class_id", "subject_id").distinct()
    ).count()
    return {"classes": classes, "journals": journals}
