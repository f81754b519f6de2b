"""Reads of the control pages, scoped to the acting deputy head or director."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from django.http import Http404
from django.shortcuts import get_object_or_404

from ejournal.access.policy import Actor, enforce
from ejournal.journal.models import ChainCheck
from ejournal.schools.models import School

from .filling import FillingReport, school_filling_control
from .models import NoteJob


def control_school(*, actor: Actor) -> School:
    school = (
        School.objects.filter(pk=actor.school_id).select_related("municipality").first() if actor.school_id else None
    )
    if school is None:
        raise Http404
    enforce(actor, "can_view_filling_control", school_target(school))
    return school


def school_target(school: School) -> SimpleNamespace:
    """The policy's view of a school (rules read `school_id`)."""
    return SimpleNamespace(school_id=school.pk)


def filling_report(*, actor: Actor, first: dt.date, last: dt.date) -> FillingReport:
    """The filling control of the actor's own school for the period."""
    return school_filling_control(school=control_school(actor=actor), first=first, last=last)


def note_job_get(*, actor: Actor, pk: int, ready: bool = False) -> NoteJob:
    """A background справка of the actor's school (any of its deputy heads and its director may read it)."""
    jobs = NoteJob.objects.filter(school_id=control_school(actor=actor).pk)
    if ready:
        jobs = jobs.filter(status=NoteJob.Status.DONE)
    return get_object_or_404(jobs.defer("pdf") if not ready else jobs, pk=pk)


def journal_check(*, actor: Actor) -> ChainCheck | None:
    """The last verification of the actor's school journal against its hash chain (None: not verified yet)."""
    enforce(actor, "can_verify_journal", SimpleNamespace(school_id=actor.school_id))
    return ChainCheck.objects.filter(school=actor.school_id).first()
