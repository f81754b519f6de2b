"""The control's one table: a background rendering of the справка's second part for a whole school."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ejournal.schools.models import School


class NoteJob(models.Model):
    """The PDF of the findings per teacher for a school and a period, rendered in the background.

    A school's whole second part can run to hundreds of pages (a large school's year: 339 pages, 27 s of
    CPU): it is not rendered in the request that sign-ins share. The job renders teacher by teacher
    (`done` of `total`), keeps the PDF here, and the page offers it when ready.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("в очереди")
        RUNNING = "running", _("готовится")
        DONE = "done", _("готово")
        FAILED = "failed", _("не удалось")

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("когда"), auto_now_add=True)
    finished_at = models.DateTimeField(_("завершено"), null=True, blank=True)
    first = models.DateField(_("с"))
    last = models.DateField(_("по"))
    status = models.CharField(_("состояние"), max_length=16, choices=Status.choices, default=Status.PENDING)
    total = models.PositiveIntegerField(_("учителей всего"), default=0)
    done = models.PositiveIntegerField(_("учителей готово"), default=0)
    pages = models.PositiveIntegerField(_("страниц"), default=0)
    pdf = models.BinaryField(_("PDF"), null=True, blank=True)
    error = models.CharField(_("ошибка"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("подготовка справки")
        verbose_name_plural = _("подготовка справок")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["school", "-created_at"], name="control_notejob_school")]

    def __str__(self) -> str:
        return f"{self.school_id}: {self.first}–{self.last}"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def percent(self) -> int:
        return 100 if self.status == self.Status.DONE else int(100 * self.done / self.total) if self.total else 0
