"""What is taught: subjects, the school's curriculum, and who teaches what."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from ejournal.schools.models import AcademicYear, School, SchoolClass, Subgroup


class Subject(models.Model):
    """A school subject: the catalogue (`school` empty, preloaded) or a school's own."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, null=True, blank=True, related_name="own_subjects")
    name = models.CharField(_("название"), max_length=150)
    short_name = models.CharField(_("сокращение"), max_length=32)
    position = models.PositiveSmallIntegerField(_("порядок"), default=100)
    is_active = models.BooleanField(_("используется"), default=True)

    class Meta:
        verbose_name = _("предмет")
        verbose_name_plural = _("предметы")
        ordering = ["position", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["name"], condition=Q(school__isnull=True), name="subject_unique_catalogue_name"
            ),
            models.UniqueConstraint(
                fields=["school", "name"], condition=Q(school__isnull=False), name="subject_unique_school_name"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class CurriculumLine(models.Model):
    """Учебный план: weekly hours of a subject in a grade of a school, for a year."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="curriculum")
    year = models.ForeignKey(AcademicYear, on_delete=models.PROTECT, related_name="+")
    grade = models.PositiveSmallIntegerField(_("параллель"), validators=[MinValueValidator(1), MaxValueValidator(11)])
    subject = models.ForeignKey(Subject, on_delete=models.PROTECT, related_name="+")
    hours_per_week = models.DecimalField(
        _("часов в неделю"),
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal("12"))],
    )
    in_subgroups = models.BooleanField(_("деление на подгруппы"), default=False)
    # The grade sits an exam in the subject (ОГЭ in 9, ЕГЭ in 11, or a school's own transfer exam): its journals
    # get exam marks, and the final mark is suggested from the year and exam marks (decision 0010).
    has_exam = models.BooleanField(_("экзамен"), default=False)

    class Meta:
        verbose_name = _("строка учебного плана")
        verbose_name_plural = _("учебный план")
        ordering = ["grade", "subject__position", "subject__name"]
        constraints = [
            models.UniqueConstraint(fields=["school", "year", "grade", "subject"], name="curriculum_unique_line"),
            models.CheckConstraint(condition=Q(grade__gte=1) & Q(grade__lte=11), name="curriculum_grade_1_11"),
            models.CheckConstraint(condition=Q(hours_per_week__gt=0), name="curriculum_hours_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.grade}: {self.subject} — {self.hours_per_week}"


class TeachingAssignment(models.Model):
    """Нагрузка: a teacher teaches a subject to a class or a subgroup, from a date to a date.

    A mid-year reassignment ends this row and starts another, so every dated
    lesson keeps the teacher who actually taught it.
    """

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="assignments")
    year = models.ForeignKey(AcademicYear, on_delete=models.PROTECT, related_name="+")
    teacher = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assignments")
    school_class = models.ForeignKey(SchoolClass, on_delete=models.CASCADE, related_name="assignments")
    subgroup = models.ForeignKey(Subgroup, on_delete=models.CASCADE, null=True, blank=True, related_name="assignments")
    subject = models.ForeignKey(Subject, on_delete=models.PROTECT, related_name="+")
    hours_per_week = models.DecimalField(_("часов в неделю"), max_digits=4, decimal_places=1, default=Decimal("1"))
    starts_on = models.DateField(_("с"))
    ends_on = models.DateField(_("по"), null=True, blank=True)

    class Meta:
        verbose_name = _("педагогическая нагрузка")
        verbose_name_plural = _("педагогическая нагрузка")
        indexes = [
            models.Index(fields=["school", "year"]),
            models.Index(fields=["teacher", "year"]),
            models.Index(fields=["school_class", "subject"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")), name="assignment_dates_ordered"
            ),
            models.CheckConstraint(condition=Q(hours_per_week__gt=0), name="assignment_hours_positive"),
        ]

    def __str__(self) -> str:
        group = f" ({self.subgroup.name})" if self.subgroup else ""
        return f"{self.subject} — {self.school_class}{group}"
