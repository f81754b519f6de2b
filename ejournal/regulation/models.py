"""The Regulation on keeping the e-journal (Положение о ведении ЭЖ и ЭД) as data, and the coordinator's appointment.

The city's exemplary Regulation (`school` empty) is kept by the department;
a school adopts its own as a full copy with a link to the exemplary one it was
derived from (`derived_from`), so that a later change of the exemplary one
does not silently change an adopted document. Field names equal the names of
`ejournal.journal.rules.JournalRules`, which reads them through `rules_for`.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from ejournal.people.models import RoleAssignment
from ejournal.schools.models import Municipality, School

USER = settings.AUTH_USER_MODEL

# The norms a Regulation fixes, in document order (the journal's rules and the control's period).
NORM_FIELDS = (
    "same_day_grace_days",
    "homework_grace_days",
    "written_mark_school_days",
    "written_mark_school_days_grades_5_9",
    "composition_mark_school_days_grades_10_11",
    "period_mark_grace_days",
    "year_marks_open_days",
    "year_mark_grace_days",
    "exam_mark_days",
    "density_hours_threshold",
    "density_min_low_hours",
    "density_min_high_hours",
    "density_min_half_year",
    "suggestion_five",
    "suggestion_four",
    "suggestion_three",
    "year_mark_math_rounding",
    "allow_future_planned_marks",
    "control_days",
)


class Regulation(models.Model):
    """Положение: the exemplary one of the city (no school) or a school's own, adopted by an order."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    school = models.OneToOneField(School, on_delete=models.CASCADE, null=True, blank=True, related_name="regulation")
    derived_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("на основе"),
    )  # fmt: skip
    title = models.CharField(_("название"), max_length=255)
    adopted_on = models.DateField(_("дата утверждения"), null=True, blank=True)
    order_number = models.CharField(_("номер приказа"), max_length=64, blank=True)
    same_day_grace_days = models.PositiveSmallIntegerField(
        _("тема, посещаемость, устные отметки: дней после урока"), default=0
    )
    homework_grace_days = models.PositiveSmallIntegerField(_("домашнее задание: дней после урока"), default=0)
    written_mark_school_days = models.PositiveSmallIntegerField(
        _("письменные работы: учебных дней на проверку"), default=3
    )
    written_mark_school_days_grades_5_9 = models.PositiveSmallIntegerField(
        _("письменные работы в 5–9 классах: учебных дней"), default=7
    )
    composition_mark_school_days_grades_10_11 = models.PositiveSmallIntegerField(
        _("сочинения в 10–11 классах: учебных дней"), default=10
    )
    period_mark_grace_days = models.PositiveSmallIntegerField(
        _("отметки за период: дней после окончания периода"), default=0
    )
    year_marks_open_days = models.PositiveSmallIntegerField(
        _("годовые, экзаменационные и итоговые отметки: открываются за дней до конца последнего периода"), default=14
    )
    year_mark_grace_days = models.PositiveSmallIntegerField(
        _("годовые отметки: дней после окончания последнего периода"), default=0
    )
    exam_mark_days = models.PositiveSmallIntegerField(
        _("экзаменационные и итоговые отметки: дней после окончания последнего периода"), default=45
    )
    density_hours_threshold = models.DecimalField(
        _("граница часов в неделю для малой нормы"), max_digits=3, decimal_places=1, default=Decimal("2")
    )
    density_min_low_hours = models.PositiveSmallIntegerField(_("минимум отметок за период (до границы)"), default=3)
    density_min_high_hours = models.PositiveSmallIntegerField(_("минимум отметок за период (свыше)"), default=5)
    density_min_half_year = models.PositiveSmallIntegerField(_("минимум отметок за полугодие"), default=5)
    suggestion_five = models.DecimalField(
        _("средний балл для «5» от"), max_digits=3, decimal_places=2, default=Decimal("4.65")
    )
    suggestion_four = models.DecimalField(
        _("средний балл для «4» от"), max_digits=3, decimal_places=2, default=Decimal("3.65")
    )
    suggestion_three = models.DecimalField(
        _("средний балл для «3» от"), max_digits=3, decimal_places=2, default=Decimal("2.65")
    )
    year_mark_math_rounding = models.BooleanField(
        _("годовая отметка: среднее четвертных округляется математически (от x,5), а не по границам"), default=False
    )
    # A mark is given at a lesson that took place; ahead of it only for planned work (a project, an essay handed
    # in early) where the school's Regulation allows, and never attendance (journal.services.common).
    allow_future_planned_marks = models.BooleanField(
        _("отметки за плановые работы на будущих уроках (без посещаемости)"), default=False
    )
    control_days = models.PositiveSmallIntegerField(_("проверка журнала не реже, чем раз в (дней)"), default=31)
    updated_at = models.DateTimeField(_("изменено"), auto_now=True)

    class Meta:
        verbose_name = _("положение о ведении электронного журнала")
        verbose_name_plural = _("положения о ведении электронного журнала")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality"], condition=Q(school__isnull=True), name="regulation_one_exemplary_per_city"
            ),
            models.CheckConstraint(
                condition=Q(written_mark_school_days__gte=1)
                & Q(written_mark_school_days_grades_5_9__gte=1)
                & Q(composition_mark_school_days_grades_10_11__gte=1),
                name="regulation_written_days_positive",
            ),
            models.CheckConstraint(
                condition=Q(density_min_low_hours__gte=1)
                & Q(density_min_high_hours__gte=F("density_min_low_hours"))
                & Q(density_min_half_year__gte=1)
                & Q(density_hours_threshold__gt=0),
                name="regulation_density_valid",
            ),
            models.CheckConstraint(
                condition=Q(suggestion_five__lte=5)
                & Q(suggestion_five__gt=F("suggestion_four"))
                & Q(suggestion_four__gt=F("suggestion_three"))
                & Q(suggestion_three__gt=1),
                name="regulation_thresholds_ordered",
            ),
            models.CheckConstraint(
                condition=Q(control_days__gte=1) & Q(control_days__lte=31), name="regulation_control_at_least_monthly"
            ),
            models.CheckConstraint(
                condition=Q(school__isnull=True) | (Q(adopted_on__isnull=False) & ~Q(order_number="")),
                name="regulation_school_adopted_by_order",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def norms(self) -> dict[str, object]:
        return {name: getattr(self, name) for name in NORM_FIELDS}


class CoordinatorAppointment(models.Model):
    """The director's order appointing the person responsible for the e-journal (order No. 271, item 3.2).

    `role_assignment` is the `journal_coordinator` appointment it opened in
    people; ending this appointment ends that one.
    """

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("сотрудник"))
    order_number = models.CharField(_("номер приказа"), max_length=64)
    order_date = models.DateField(_("дата приказа"))
    starts_on = models.DateField(_("с"))
    ends_on = models.DateField(_("по"), null=True, blank=True)
    role_assignment = models.ForeignKey(
        RoleAssignment, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("записано"), auto_now_add=True)

    class Meta:
        verbose_name = _("назначение ответственного за ЭЖ")
        verbose_name_plural = _("назначения ответственных за ЭЖ")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["school"], condition=Q(ends_on__isnull=True), name="coordinator_one_open_per_school"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")), name="coordinator_dates_ordered"
            ),
            models.CheckConstraint(condition=~Q(order_number=""), name="coordinator_has_order"),
        ]

    def __str__(self) -> str:
        return f"{self.order_number} от {self.order_date:%d.%m.%Y}"
