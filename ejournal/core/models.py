from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """An append-only record of a change: who, in which role, when, old → new, why.

    Written by services in the same transaction as the change. The application
    never updates or deletes these rows (the admin shows them read-only).
    `school_id` is a plain integer so that the log can be partitioned by school
    and so that this app depends on no domain app.
    """

    at = models.DateTimeField(_("когда"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("кто"),
    )
    actor_role = models.CharField(_("роль"), max_length=32, blank=True)
    school_id = models.BigIntegerField(_("школа"), null=True, blank=True, db_index=True)
    action = models.CharField(_("действие"), max_length=64)
    object_type = models.CharField(_("тип объекта"), max_length=64)
    object_id = models.CharField(_("объект"), max_length=64, blank=True)
    object_repr = models.CharField(_("описание объекта"), max_length=255, blank=True)
    changes = models.JSONField(_("изменения"), default=dict, blank=True)
    reason = models.TextField(_("причина"), blank=True)

    class Meta:
        verbose_name = _("запись журнала изменений")
        verbose_name_plural = _("журнал изменений")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.at:%d.%m.%Y %H:%M} {self.action} {self.object_repr}"


class ImportJob(models.Model):
    """One upload of a tabular file and what became of it (progress and report)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("в очереди")
        RUNNING = "running", _("выполняется")
        DONE = "done", _("загружено")
        FAILED = "failed", _("отклонено")

    school_id = models.BigIntegerField(_("школа"), null=True, blank=True, db_index=True)
    kind = models.CharField(_("вид загрузки"), max_length=32)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("кто загрузил")
    )
    # The role the upload was made in: the background run writes the audit record in it.
    created_role = models.CharField(_("роль"), max_length=32, blank=True)
    # Where the uploaded file waits for the background run (relative to MEDIA_ROOT); emptied after.
    stored_file = models.CharField(_("сохранённый файл"), max_length=255, blank=True)
    # The reach of the uploader's role at the upload (the Actor's ids): the background run acts in it.
    created_scope = models.JSONField(_("полномочия"), default=dict, blank=True)
    # For kinds that load into one object (a teaching assignment's plan, a month's report): its id and choices.
    target_id = models.BigIntegerField(_("объект загрузки"), null=True, blank=True, db_index=True)
    options = models.JSONField(_("параметры"), default=dict, blank=True)
    created_at = models.DateTimeField(_("когда"), auto_now_add=True)
    finished_at = models.DateTimeField(_("завершено"), null=True, blank=True)
    file_name = models.CharField(_("файл"), max_length=255)
    status = models.CharField(_("состояние"), max_length=16, choices=Status.choices, default=Status.PENDING)
    total_rows = models.PositiveIntegerField(_("строк всего"), default=0)
    processed_rows = models.PositiveIntegerField(_("строк обработано"), default=0)
    # {"errors": [{"row": 3, "column": "Класс", "message": "..."}], "created": {...}, "updated": {...}}
    report = models.JSONField(_("отчёт"), default=dict, blank=True)

    class Meta:
        verbose_name = _("загрузка файла")
        verbose_name_plural = _("загрузки файлов")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind}: {self.file_name}"
