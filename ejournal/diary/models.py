"""The diary's own rows: a guardian's «Ознакомлен» for a week, and the key of a private calendar feed.

Everything else the diary shows is read from the journal and the timetable.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ejournal.people.models import Student
from ejournal.schools.models import School


class WeekAcknowledgement(models.Model):
    """A guardian has seen a child's diary for the week starting on `week_start` (a Monday)."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="week_acknowledgements")
    guardian_user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    week_start = models.DateField(_("неделя с"))
    at = models.DateTimeField(_("ознакомлен"))

    class Meta:
        verbose_name = _("ознакомление с дневником")
        verbose_name_plural = _("ознакомления с дневником")
        indexes = [models.Index(fields=["school", "week_start"])]
        constraints = [
            models.UniqueConstraint(
                fields=["student", "guardian_user", "week_start"], name="week_ack_unique_guardian_week"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.student_id} {self.week_start:%d.%m.%Y}"


class FeedKey(models.Model):
    """The public half of a private calendar feed URL of a user in a family role.

    The URL is `<key>.<signature>`; the signature is an HMAC of the key with the
    site's secret, so the database never holds a usable URL. Resetting replaces
    the key, which invalidates every old URL at once. Not school-level: a
    guardian's children may attend different schools.
    """

    class Role(models.TextChoices):
        GUARDIAN = "guardian", _("родитель")
        STUDENT = "student", _("обучающийся")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    role = models.CharField(max_length=16, choices=Role.choices)
    key = models.CharField(max_length=32, unique=True)
    created_at = models.DateTimeField(_("создан"), auto_now_add=True)

    class Meta:
        verbose_name = _("ключ календаря")
        verbose_name_plural = _("ключи календаря")
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="feed_key_one_per_user_role")]

    def __str__(self) -> str:
        return f"{self.user_id}/{self.role}"
