from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class RolePreference(models.Model):
    """The role a user last switched to: the next sign-in starts in it (a teacher who is also deputy head)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="+", verbose_name=_("кто")
    )
    # A `RoleChoice.key` ("a12", "c7", "s", "g"); a key the user no longer holds is ignored.
    key = models.CharField(_("роль"), max_length=32)
    changed_at = models.DateTimeField(_("когда"), auto_now=True)

    class Meta:
        verbose_name = _("последняя выбранная роль")
        verbose_name_plural = _("последние выбранные роли")

    def __str__(self) -> str:
        return f"{self.user_id}: {self.key}"
