"""What every kind of roster import reads: the school being loaded and what is already in its database."""

from __future__ import annotations

import datetime as dt
from functools import cached_property

from django.utils import timezone
from django.utils.translation import gettext as _

from ejournal.accounts.models import User
from ejournal.core.imports.readers import ImportFileError
from ejournal.people.models import Student
from ejournal.schools.models import AcademicYear, School, SchoolClass


class SchoolContext:
    """The school being loaded and what is already in the database, each read once."""

    def __init__(self, school_id: int):
        self.school = School.objects.get(pk=school_id)
        year = AcademicYear.objects.filter(municipality_id=self.school.municipality_id, is_current=True).first()
        if year is None:
            raise ImportFileError(_("Не задан текущий учебный год: загрузка невозможна."))
        self.year: AcademicYear = year
        self.today = timezone.localdate()

    @property
    def enrol_from(self) -> dt.date:
        """New students are enrolled from the year start when loaded before it, else from today."""
        return max(self.year.starts_on, min(self.today, self.year.ends_on))

    @cached_property
    def classes(self) -> dict[tuple[int, str], SchoolClass]:
        qs = SchoolClass.objects.filter(school=self.school, year=self.year)
        return {(c.grade, c.letter.upper()): c for c in qs}

    @cached_property
    def students(self) -> list[Student]:
        return list(Student.objects.filter(school=self.school))

    @cached_property
    def staff_users(self) -> list[User]:
        return list(
            User.objects.filter(role_assignments__school=self.school, role_assignments__ends_on__isnull=True).distinct()
        )
