"""When it is taught: bells, the weekly timetable, and dated lessons with their changes."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from ejournal.curriculum.models import Subject, TeachingAssignment
from ejournal.schools.models import AcademicYear, School, SchoolClass, Subgroup


class Room(models.Model):
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="rooms")
    name = models.CharField(_("кабинет"), max_length=32)
    capacity = models.PositiveSmallIntegerField(_("мест"), null=True, blank=True)

    class Meta:
        verbose_name = _("кабинет")
        verbose_name_plural = _("кабинеты")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["school", "name"], name="room_unique_name")]

    def __str__(self) -> str:
        return self.name


class BellSchedule(models.Model):
    """Звонки: lesson times for a shift and a band of grades; a shortened day is its own schedule."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="bell_schedules")
    name = models.CharField(_("название"), max_length=100)
    shift = models.PositiveSmallIntegerField(
        _("смена"), default=1, validators=[MinValueValidator(1), MaxValueValidator(2)]
    )
    min_grade = models.PositiveSmallIntegerField(_("с класса"), default=1)
    max_grade = models.PositiveSmallIntegerField(_("по класс"), default=11)
    is_shortened = models.BooleanField(_("сокращённый день"), default=False)

    class Meta:
        verbose_name = _("расписание звонков")
        verbose_name_plural = _("расписания звонков")
        ordering = ["shift", "min_grade", "is_shortened"]

    def __str__(self) -> str:
        return self.name


class Bell(models.Model):
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    schedule = models.ForeignKey(BellSchedule, on_delete=models.CASCADE, related_name="bells")
    number = models.PositiveSmallIntegerField(_("урок №"), validators=[MaxValueValidator(12)])
    starts_at = models.TimeField(_("начало"))
    ends_at = models.TimeField(_("окончание"))

    class Meta:
        verbose_name = _("звонок")
        verbose_name_plural = _("звонки")
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["schedule", "number"], name="bell_unique_number"),
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="bell_ends_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.starts_at:%H:%M}–{self.ends_at:%H:%M}"


class TimetableEntry(models.Model):
    """One cell of the weekly timetable: class × weekday × lesson number → assignment and room.

    `valid_from`/`valid_to` keep timetable versions within a year; `week_parity`
    supports alternating weeks (0 every week, 1 odd, 2 even ISO weeks).
    """

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    year = models.ForeignKey(AcademicYear, on_delete=models.PROTECT, related_name="+")
    school_class = models.ForeignKey(SchoolClass, on_delete=models.CASCADE, related_name="timetable")
    weekday = models.PositiveSmallIntegerField(
        _("день недели"), validators=[MinValueValidator(1), MaxValueValidator(6)]
    )
    lesson_number = models.PositiveSmallIntegerField(_("урок №"), validators=[MaxValueValidator(12)])
    assignment = models.ForeignKey(TeachingAssignment, on_delete=models.CASCADE, related_name="timetable_entries")
    room = models.ForeignKey(Room, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    week_parity = models.PositiveSmallIntegerField(_("неделя"), default=0, validators=[MaxValueValidator(2)])
    valid_from = models.DateField(_("действует с"))
    valid_to = models.DateField(_("действует по"), null=True, blank=True)

    class Meta:
        verbose_name = _("урок в расписании")
        verbose_name_plural = _("расписание")
        ordering = ["weekday", "lesson_number"]
        indexes = [models.Index(fields=["school", "year", "weekday"])]
        constraints = [
            models.CheckConstraint(condition=Q(weekday__gte=1) & Q(weekday__lte=6), name="entry_weekday_1_6"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")), name="entry_dates_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.school_class} {self.weekday}/{self.lesson_number}: {self.assignment}"


class Lesson(models.Model):
    """A dated lesson of an assignment: the row the journal is kept on.

    `teacher` is who teaches it (the assignment's teacher at that date);
    `substitute` replaces them for this lesson. `has_records` is set by the
    journal's services when marks or attendance exist, so regeneration never
    removes a lesson with data. Kept lean: a city year is ~7.5 million rows, so
    the foreign keys get no index of their own: every lookup goes through the
    composite (…, date) indexes below, which also serve the cascades.
    """

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("по расписанию")
        CANCELLED = "cancelled", _("отменён")
        MOVED = "moved", _("перенесён")
        EXTRA = "extra", _("дополнительный")

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+", db_index=False)
    assignment = models.ForeignKey(TeachingAssignment, on_delete=models.PROTECT, related_name="lessons", db_index=False)
    school_class = models.ForeignKey(SchoolClass, on_delete=models.CASCADE, related_name="+", db_index=False)
    subgroup = models.ForeignKey(
        Subgroup, on_delete=models.CASCADE, null=True, blank=True, related_name="+", db_index=False
    )
    subject = models.ForeignKey(Subject, on_delete=models.PROTECT, related_name="+", db_index=False)
    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="lessons", db_index=False
    )
    substitute = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="substitutions",
        db_index=False,
    )
    date = models.DateField(_("дата"))
    lesson_number = models.PositiveSmallIntegerField(_("урок №"), validators=[MaxValueValidator(12)])
    room = models.ForeignKey(Room, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", db_index=False)
    entry = models.ForeignKey(
        TimetableEntry, on_delete=models.SET_NULL, null=True, blank=True, related_name="lessons", db_index=False
    )
    status = models.CharField(_("состояние"), max_length=16, choices=Status.choices, default=Status.SCHEDULED)
    moved_to = models.OneToOneField("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="moved_from")
    change_note = models.CharField(_("примечание к изменению"), max_length=255, blank=True)
    topic = models.CharField(_("тема урока"), max_length=500, blank=True)
    has_records = models.BooleanField(_("есть записи"), default=False)

    class Meta:
        verbose_name = _("урок")
        verbose_name_plural = _("уроки")
        ordering = ["date", "lesson_number"]
        indexes = [
            models.Index(fields=["school", "date"]),
            models.Index(fields=["assignment", "date"]),
            models.Index(fields=["school_class", "date"]),
            models.Index(fields=["teacher", "date"]),
            models.Index(fields=["substitute", "date"], condition=Q(substitute__isnull=False), name="lesson_subst_idx"),
        ]
        constraints = [
            # Regeneration is idempotent: one lesson per timetable entry and date.
            models.UniqueConstraint(
                fields=["entry", "date"], condition=Q(entry__isnull=False), name="lesson_one_per_entry_date"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%d.%m.%Y} {self.lesson_number}: {self.subject} {self.school_class}"


class GenerationRun(models.Model):
    """One run of lesson generation for a school: the dates, the counts and the conflicts it left."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("когда"), auto_now_add=True)
    date_from = models.DateField(_("с"))
    date_to = models.DateField(_("по"))
    created = models.PositiveIntegerField(_("создано"), default=0)
    updated = models.PositiveIntegerField(_("обновлено"), default=0)
    removed = models.PositiveIntegerField(_("удалено"), default=0)
    kept = models.PositiveIntegerField(_("оставлено с данными"), default=0)
    # [{"lesson": id, "date": "dd.mm.YYYY", "number": n, "class": "5 «А»", "subject": ..., "teacher": ..., "reason": ...}]
    conflicts = models.JSONField(_("конфликты"), default=list, blank=True)

    class Meta:
        verbose_name = _("формирование уроков")
        verbose_name_plural = _("формирования уроков")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(date_to__gte=F("date_from")), name="generation_dates_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.date_from:%d.%m.%Y}–{self.date_to:%d.%m.%Y}"
