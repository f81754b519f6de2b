"""An archive of a school's journal for a year or a closed term, built in the background (`build.py`)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ejournal.schools.models import AcademicYear, School, Term

from .retention import retention_until


class ArchiveJob(models.Model):
    """One build of a school's archive: progress while it runs, then the zip's place, size, checksum and files.

    The zip lies under `settings.ARCHIVE_ROOT` (`path`); `files` lists its files (path, kind, size, sha256)
    for the list of what the system has archived, with each kind's retention.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("в очереди")
        RUNNING = "running", _("собирается")
        DONE = "done", _("готов")
        FAILED = "failed", _("не удалось")
        DELETED = "deleted", _("удалён по истечении срока хранения")

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    year = models.ForeignKey(AcademicYear, on_delete=models.PROTECT, related_name="+")
    term = models.ForeignKey(Term, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("запущено"), auto_now_add=True)
    finished_at = models.DateTimeField(_("завершено"), null=True, blank=True)
    status = models.CharField(_("состояние"), max_length=16, choices=Status.choices, default=Status.PENDING)
    total = models.PositiveIntegerField(_("документов всего"), default=0)
    done = models.PositiveIntegerField(_("документов готово"), default=0)
    path = models.CharField(_("файл"), max_length=300, blank=True)
    size = models.BigIntegerField(_("размер, байт"), default=0)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    files = models.JSONField(_("файлы"), default=list, blank=True)
    error = models.CharField(_("ошибка"), max_length=500, blank=True)
    # Retention (services.archive_retention_apply): the print journals leave the zip after their period,
    # the whole zip after the summary sheets' period; the row stays in the list.
    journals_deleted_on = models.DateField(_("журналы удалены"), null=True, blank=True)
    deleted_on = models.DateField(_("удалён"), null=True, blank=True)

    class Meta:
        verbose_name = _("архив журналов")
        verbose_name_plural = _("архивы журналов")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["school", "-created_at"], name="archive_job_school")]

    def __str__(self) -> str:
        return f"{self.school_id}: {self.term or self.year}"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED, self.Status.DELETED)

    @property
    def last_day(self) -> dt.date:
        return self.term.ends_on if self.term else self.year.ends_on

    @property
    def journal_until(self) -> dt.date:
        return retention_until(self.last_day, "journal")

    @property
    def summary_until(self) -> dt.date:
        return retention_until(self.last_day, "summary")

    @property
    def file_rows(self) -> list[dict]:
        """The files with their retention as dates (stored as ISO text)."""
        return [{**f, "until": dt.date.fromisoformat(f["until"]),
                 "removed_on": dt.date.fromisoformat(f["removed_on"]) if f.get("removed_on") else None}
                for f in self.files]  # fmt: skip

    @property
    def percent(self) -> int:
        return int(100 * self.done / self.total) if self.total else 0
