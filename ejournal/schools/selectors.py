"""Reads of a school's year setup, scoped to the acting school."""

from __future__ import annotations

from django.db.models import Q
from django.shortcuts import get_object_or_404

from ejournal.access.policy import Actor

from .models import AcademicYear, Holiday, School, Term


def school_of(actor: Actor) -> School:
    """The actor's own school (404 for a role without one)."""
    return get_object_or_404(School, pk=actor.school_id)


def year_current(*, school: School) -> AcademicYear | None:
    return AcademicYear.objects.filter(municipality_id=school.municipality_id, is_current=True).first()


def terms_of_year(*, actor: Actor, year: AcademicYear) -> list[Term]:
    return list(Term.objects.filter(school=actor.school_id, year=year).order_by("min_grade", "starts_on"))


def holidays_of_year(*, school: School, year: AcademicYear) -> list[Holiday]:
    """The city's holidays (read-only for a school) and the school's own, by date."""
    city = Q(school__isnull=True, municipality_id=school.municipality_id)
    return list(Holiday.objects.filter(year=year).filter(city | Q(school=school)).order_by("starts_on", "name"))


def term_get(*, actor: Actor, pk: int) -> Term:
    """A term of the actor's school; anything else is 404."""
    return get_object_or_404(Term.objects.select_related("year"), pk=pk, school_id=actor.school_id)


def holiday_get(*, actor: Actor, pk: int) -> Holiday:
    """A holiday of the actor's own school; city-wide and foreign ones are 404."""
    return get_object_or_404(Holiday.objects.select_related("year"), pk=pk, school_id=actor.school_id)
