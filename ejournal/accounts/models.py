from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person who signs in; roles come from appointments and the roster.

    One user may be a teacher and a guardian at once and switches roles.
    """

    middle_name = models.CharField(_("отчество"), max_length=150, blank=True)
    phone = models.CharField(_("телефон"), max_length=32, blank=True)
    must_change_password = models.BooleanField(_("сменить пароль при входе"), default=False)
    # Raised by «выйти на других устройствах»: every session signed with an older value ends.
    session_generation = models.PositiveIntegerField(default=0, editable=False)
    # The person's subject at the state identity provider (ЕСИА), recorded by the school from a
    # document, never guessed: sign-in through the provider links an account only by this value.
    esia_subject = models.CharField(
        _("идентификатор в ЕСИА"), max_length=64, null=True, blank=True, unique=True, default=None
    )

    class Meta:
        verbose_name = _("пользователь")
        verbose_name_plural = _("пользователи")

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def get_full_name(self) -> str:
        return " ".join(p for p in (self.last_name, self.first_name, self.middle_name) if p)

    def _get_session_auth_hash(self, secret=None):
        # Django signs a session with the password hash; the generation joins it so that ending
        # the other sessions needs no password change. 0 keeps the sessions of before this field.
        if not self.session_generation:
            return super()._get_session_auth_hash(secret=secret)  # type: ignore[misc]  # Django's private method, not in the stubs
        from django.utils.crypto import salted_hmac

        value = f"{self.password}:{self.session_generation}"
        return salted_hmac("ejournal.accounts.session_generation", value, secret=secret, algorithm="sha256").hexdigest()

    def get_short_name(self) -> str:
        initials = "".join(f"{p[0]}." for p in (self.first_name, self.middle_name) if p)
        return f"{self.last_name} {initials}".strip() or self.username


class RecoveryCode(models.Model):
    """One recovery code of a user's second factor: kept as a SHA-256 hash, good for one sign-in.

    The codes carry 80 random bits, so an unsalted hash is as safe as a slow one
    (nothing to guess from a dictionary) and is found by an index, not by trying each.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="recovery_codes")
    code_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("код восстановления")
        verbose_name_plural = _("коды восстановления")

    def __str__(self) -> str:
        return f"{self.user_id}: {self.code_hash[:8]}"


class SignInSession(models.Model):
    """Index of a user's sessions (the session store cannot be searched by user): written at sign-in.

    `sid` is our own random id kept in the session, so the row survives the
    session key changing (password change); `session_key` is the last one seen.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="sign_in_sessions")
    sid = models.CharField(max_length=32, unique=True)
    session_key = models.CharField(max_length=40)
    user_agent = models.CharField(max_length=300, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_seen_at = models.DateTimeField()
    via_provider = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("сеанс входа")
        verbose_name_plural = _("сеансы входа")
        indexes = [models.Index(fields=["user", "-last_seen_at"], name="signin_session_user_seen")]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.sid[:8]}"
