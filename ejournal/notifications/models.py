"""E-mail digests for families: who wants what and when, and the digests sent.

A subscription belongs to a guardian (or to a student with a login), never to
a school: a guardian's children may study in several schools, so these tables
are person-level like `Guardian` and carry no `school_id`.

`watermark` is the end of the period the last digest covered: the next digest
reads what the journal created or changed after it. `next_slot` / `next_due_at`
are the next nominal send time and the moment it falls due (moved past the
quiet hours), kept so that the periodic job finds due subscriptions by index.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ejournal.people.models import Guardian, Student

DEFAULT_SEND_AT = dt.time(19, 0)
DEFAULT_QUIET_FROM = dt.time(22, 0)
DEFAULT_QUIET_TO = dt.time(7, 0)


class DigestSubscription(models.Model):
    """Одна подписка на ежедневную сводку: a guardian's or a student's choices."""

    guardian = models.OneToOneField(
        Guardian, on_delete=models.CASCADE, null=True, blank=True, related_name="digest_subscription"
    )
    student = models.OneToOneField(
        Student, on_delete=models.CASCADE, null=True, blank=True, related_name="digest_subscription"
    )
    enabled = models.BooleanField(_("присылать сводку"), default=False)
    marks = models.BooleanField(_("новые отметки"), default=True)
    absences = models.BooleanField(_("пропуски уроков"), default=True)
    homework = models.BooleanField(_("домашние задания"), default=True)
    send_at = models.TimeField(_("время отправки"), default=DEFAULT_SEND_AT)
    quiet_from = models.TimeField(_("не присылать с"), null=True, blank=True, default=DEFAULT_QUIET_FROM)
    quiet_to = models.TimeField(_("не присылать до"), null=True, blank=True, default=DEFAULT_QUIET_TO)
    email = models.EmailField(_("e-mail для сводки"), blank=True)
    watermark = models.DateTimeField(_("сводка охватывает изменения до"))
    next_slot = models.DateTimeField(_("следующая сводка"), null=True, blank=True)
    next_due_at = models.DateTimeField(_("отправить не раньше"), null=True, blank=True)
    updated_at = models.DateTimeField(_("изменено"), auto_now=True)

    class Meta:
        verbose_name = _("подписка на сводку")
        verbose_name_plural = _("подписки на сводки")
        indexes = [models.Index(fields=["enabled", "next_due_at"], name="digest_sub_due_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(guardian__isnull=False, student__isnull=True)
                | Q(guardian__isnull=True, student__isnull=False),
                name="digest_sub_one_recipient",
            ),
            models.CheckConstraint(
                condition=Q(quiet_from__isnull=True, quiet_to__isnull=True)
                | Q(quiet_from__isnull=False, quiet_to__isnull=False),
                name="digest_sub_quiet_both_or_none",
            ),
        ]

    def __str__(self) -> str:
        return str(self.guardian or self.student)


class DigestLog(models.Model):
    """One digest of one subscription for one due slot: what period it covered, how many items, its fate.

    Unique per (subscription, slot): a second run, a retry or a second
    runner (cron and Celery at once) finds the row and sends nothing again.
    A row left «sending» by a crash is never sent again (at most once).
    """

    class Status(models.TextChoices):
        SENDING = "sending", _("отправляется")
        SENT = "sent", _("отправлена")
        EMPTY = "empty", _("нечего сообщить")
        FAILED = "failed", _("не отправлена")

    subscription = models.ForeignKey(DigestSubscription, on_delete=models.CASCADE, related_name="logs")
    slot = models.DateTimeField(_("время по расписанию"))
    period_start = models.DateTimeField(_("изменения после"))
    period_end = models.DateTimeField(_("изменения до"))
    status = models.CharField(_("состояние"), max_length=8, choices=Status.choices)
    email = models.EmailField(_("e-mail"), blank=True)
    marks_count = models.PositiveIntegerField(_("отметок"), default=0)
    absences_count = models.PositiveIntegerField(_("пропусков"), default=0)
    homework_count = models.PositiveIntegerField(_("заданий"), default=0)
    attempts = models.PositiveSmallIntegerField(_("попыток"), default=1)
    error = models.CharField(_("ошибка"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("создано"), auto_now_add=True)
    sent_at = models.DateTimeField(_("отправлено"), null=True, blank=True)

    class Meta:
        verbose_name = _("отправленная сводка")
        verbose_name_plural = _("отправленные сводки")
        ordering = ["-slot", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["subscription", "slot"], name="digest_log_unique_slot"),
            models.CheckConstraint(condition=Q(period_end__gte=models.F("period_start")), name="digest_log_period"),
        ]

    def __str__(self) -> str:
        return f"{self.subscription} {self.slot:%d.%m.%Y %H:%M}"
