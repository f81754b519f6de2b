"""The city layer of order No. 271: software complexes, the rollout schedule, the monthly report (appendix 2)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ejournal.schools.models import District, Municipality, School


class SoftwareComplex(models.Model):
    """An e-journal system a school may choose (order No. 271): this one or another vendor's."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="software_complexes")
    name = models.CharField(_("название"), max_length=200)
    vendor = models.CharField(_("разработчик"), max_length=200, blank=True)
    is_this_system = models.BooleanField(_("эта система"), default=False)

    class Meta:
        verbose_name = _("программный комплекс")
        verbose_name_plural = _("программные комплексы")
        ordering = ["-is_this_system", "name"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "name"], name="complex_unique_name"),
            models.UniqueConstraint(
                fields=["municipality"], condition=Q(is_this_system=True), name="complex_one_this_system"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class SchoolRollout(models.Model):
    """A school's row of the rollout schedule: its chosen complex, responsible persons, comment."""

    school = models.OneToOneField(School, on_delete=models.CASCADE, related_name="rollout")
    complex = models.ForeignKey(
        SoftwareComplex,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("программный комплекс"),
    )
    school_responsible = models.CharField(_("ответственный в школе"), max_length=200, blank=True)
    district_responsible = models.CharField(_("ответственный в округе"), max_length=200, blank=True)
    comment = models.TextField(_("комментарий"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("внедрение в школе")
        verbose_name_plural = _("сводный график внедрения")

    def __str__(self) -> str:
        return str(self.school)


class Stage(models.TextChoices):
    """The stages of the rollout, in their order (order No. 271, items 3.1–3.4)."""

    REGULATION = "regulation", _("Положение школы утверждено")
    COORDINATOR = "coordinator", _("Ответственный назначен")
    DATA_LOADED = "data_loaded", _("Данные загружены")
    PILOT = "pilot", _("Апробация начата")
    FULL = "full", _("Полное внедрение")
    PARENTS = "parents", _("Доступ родителей открыт")
    SITE_LINK = "site_link", _("Ссылка на сайте школы")


class RolloutStage(models.Model):
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="rollout_stages")
    stage = models.CharField(_("этап"), max_length=16, choices=Stage.choices)
    planned_on = models.DateField(_("план"), null=True, blank=True)
    actual_on = models.DateField(_("факт"), null=True, blank=True)

    class Meta:
        verbose_name = _("этап внедрения")
        verbose_name_plural = _("этапы внедрения")
        constraints = [models.UniqueConstraint(fields=["school", "stage"], name="rollout_stage_unique")]

    def __str__(self) -> str:
        return f"{self.school_id}: {self.get_stage_display()}"


class MonthlyRolloutReport(models.Model):
    """A district's monthly report on the rollout (appendix 2 of order No. 271), due by the 30th."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("черновик")
        SUBMITTED = "submitted", _("отправлен")
        RETURNED = "returned", _("возвращён на доработку")
        ACCEPTED = "accepted", _("принят")

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="monthly_reports")
    year = models.PositiveSmallIntegerField(_("год"))
    month = models.PositiveSmallIntegerField(_("месяц"))
    status = models.CharField(_("состояние"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    problems = models.TextField(_("проблемы и обращения в поддержку"), max_length=5000, blank=True)
    submitted_at = models.DateTimeField(_("отправлен"), null=True, blank=True)
    first_submitted_at = models.DateTimeField(_("впервые отправлен"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("принят"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    return_comment = models.TextField(_("замечания департамента"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("ежемесячный отчёт округа")
        verbose_name_plural = _("ежемесячные отчёты округов")
        ordering = ["-year", "-month", "district__name"]
        constraints = [
            models.UniqueConstraint(fields=["district", "year", "month"], name="monthly_report_unique"),
            models.CheckConstraint(condition=Q(month__gte=1) & Q(month__lte=12), name="monthly_report_month_1_12"),
            models.CheckConstraint(
                condition=~Q(status="accepted") | Q(accepted_at__isnull=False), name="monthly_report_accepted_dated"
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(submitted_at__isnull=False), name="monthly_report_submitted_dated"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.district} {self.month:02d}.{self.year}"


class MonthlyReportRow(models.Model):
    """A school's row of a monthly report.

    `data` holds the values by field key (see `report_fields.FIELDS`): entered by
    hand or uploaded for a school on another vendor's system; for a school on
    this system it is empty until the report is submitted, when the computed
    values are stored (`is_snapshot`) so that the department reviews and
    accepts exactly what was sent; a returned report is live again.
    """

    class Source(models.TextChoices):
        COMPUTED = "computed", _("рассчитано системой")
        MANUAL = "manual", _("введено вручную")

    report = models.ForeignKey(MonthlyRolloutReport, on_delete=models.CASCADE, related_name="rows")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    source = models.CharField(_("источник"), max_length=16, choices=Source.choices)
    data = models.JSONField(_("показатели"), default=dict, blank=True)
    is_snapshot = models.BooleanField(_("зафиксировано"), default=False)

    class Meta:
        verbose_name = _("строка отчёта")
        verbose_name_plural = _("строки отчёта")
        ordering = ["school__number", "school__short_name"]
        constraints = [models.UniqueConstraint(fields=["report", "school"], name="monthly_row_unique")]

    def __str__(self) -> str:
        return f"{self.report}: {self.school_id}"


class SchoolMonthFigures(models.Model):
    """A school's monthly journal figures (the filling control's `school_month_indicators`), kept up to date by a
    periodic refresh (`manage.py city_month_figures`, Celery task `city.refresh_month_figures`) so that the city's
    report and monitoring read them instead of recomputing every journal of the city.

    The refresh recomputes only a school whose figures may have changed: a change record of its journal at or
    after `changes_from`, another day since `computed_at` (the month's lessons up to today), or figures older than
    `EJ_CITY["figures_recompute_minutes"]` (what leaves no change record: enrolments, accounts, sign-ins, the
    timetable); the others are only marked `checked_at`. Rows not checked for `EJ_CITY["figures_max_age_minutes"]`
    are not served: the figures are then computed from the journal."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("год"))
    month = models.PositiveSmallIntegerField(_("месяц"))
    data = models.JSONField(_("показатели"), default=dict)
    computed_at = models.DateTimeField(_("рассчитано"))
    # The journal's change records from this moment on may be missing from `data`: the computation's start,
    # less a margin for the journal's transactions still open then.
    changes_from = models.DateTimeField(_("изменения журнала с"), null=True)
    checked_at = models.DateTimeField(_("проверено"), null=True)

    class Meta:
        verbose_name = _("показатели школы за месяц")
        verbose_name_plural = _("показатели школ за месяц")
        constraints = [models.UniqueConstraint(fields=["school", "year", "month"], name="month_figures_unique")]

    def __str__(self) -> str:
        return f"{self.school_id} {self.month:02d}.{self.year}"
