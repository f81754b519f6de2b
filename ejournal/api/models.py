"""What the open API adds: a vendor's system bound to its schools, and the log of children's data read."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ApplicationSchool(models.Model):
    """A vendor's system (an OAuth application with client credentials) may exchange this school's figures.

    The binding is the whole of what a system reaches: its token carries no person.
    """

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+", verbose_name=_("школа"))
    application = models.ForeignKey(
        settings.OAUTH2_PROVIDER_APPLICATION_MODEL,
        on_delete=models.CASCADE,
        related_name="school_bindings",
        verbose_name=_("приложение"),
    )
    created_at = models.DateTimeField(_("создано"), auto_now_add=True)

    class Meta:
        verbose_name = _("школа системы поставщика")
        verbose_name_plural = _("школы систем поставщиков")
        constraints = [models.UniqueConstraint(fields=["application", "school"], name="api_application_school_once")]

    def __str__(self) -> str:
        return f"{self.application_id} → {self.school_id}"


class ApiRead(models.Model):
    """One API read of a child's data: who (the person or the system), through which client, what.

    Written in the same request as the read (REQUIREMENTS: personal data of minors is read on record).
    """

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+", verbose_name=_("школа"))
    student = models.ForeignKey(
        "people.Student", on_delete=models.CASCADE, related_name="+", null=True, blank=True, verbose_name=_("ученик")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("кто"),
    )
    application = models.ForeignKey(
        settings.OAUTH2_PROVIDER_APPLICATION_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("приложение"),
    )
    role = models.CharField(_("роль"), max_length=32, blank=True)
    what = models.CharField(_("что прочитано"), max_length=200)
    at = models.DateTimeField(_("когда"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("чтение данных ученика через API")
        verbose_name_plural = _("чтения данных учеников через API")
        indexes = [models.Index(fields=["school", "at"], name="api_read_school_at")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.what}"
