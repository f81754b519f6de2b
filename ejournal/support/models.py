"""Requests of schools to the methodical centre «Старт» for methodical or technical support (order No. 271, 4.1)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ejournal.schools.models import School


class SupportRequest(models.Model):
    class Kind(models.TextChoices):
        METHODICAL = "methodical", _("методическая поддержка")
        TECHNICAL = "technical", _("техническая поддержка")

    class Status(models.TextChoices):
        NEW = "new", _("новая")
        IN_WORK = "in_work", _("в работе")
        ANSWERED = "answered", _("дан ответ")
        CLOSED = "closed", _("закрыта")

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="support_requests")
    kind = models.CharField(_("вид поддержки"), max_length=16, choices=Kind.choices)
    subject = models.CharField(_("тема"), max_length=200)
    status = models.CharField(_("состояние"), max_length=16, choices=Status.choices, default=Status.NEW)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("автор")
    )
    created_at = models.DateTimeField(_("подана"))
    closed_at = models.DateTimeField(_("закрыта"), null=True, blank=True)

    class Meta:
        verbose_name = _("заявка в службу поддержки")
        verbose_name_plural = _("заявки в службу поддержки")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["school", "created_at"], name="support_school_created")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="closed", closed_at__isnull=False)
                | (~Q(status="closed") & Q(closed_at__isnull=True)),
                name="support_closed_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.subject


class SupportMessage(models.Model):
    """One message of a request's thread: the request's text, a reply of the school or of the centre."""

    request = models.ForeignKey(SupportRequest, on_delete=models.CASCADE, related_name="messages")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    author_role = models.CharField(_("роль"), max_length=32)
    text = models.TextField(_("текст"), max_length=5000)
    created_at = models.DateTimeField(_("когда"))

    class Meta:
        verbose_name = _("сообщение")
        verbose_name_plural = _("сообщения")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.text[:50]


class SupportAttachment(models.Model):
    message = models.ForeignKey(SupportMessage, on_delete=models.CASCADE, related_name="attachments")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    file = models.FileField(_("файл"), upload_to="support/%Y/%m/")
    name = models.CharField(_("имя файла"), max_length=255)
    size = models.PositiveIntegerField(_("размер"))

    class Meta:
        verbose_name = _("вложение")
        verbose_name_plural = _("вложения")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name
