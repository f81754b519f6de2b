"""The municipal service: applications for access to the diary and the consents they lead to."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ejournal.people.models import Guardian, GuardianLink, Student
from ejournal.schools.models import School


class ApplicantKind(models.TextChoices):
    PARENT = "parent", _("родитель")
    LEGAL = "legal", _("законный представитель (опекун, попечитель, приёмный родитель)")
    PROXY = "proxy", _("представитель по доверенности")
    STUDENT = "student", _("обучающийся (14 лет и старше)")


class IdDocument(models.TextChoices):
    PASSPORT = "passport", _("паспорт гражданина РФ")
    FOREIGN = "foreign", _("документ иностранного гражданина")
    OTHER = "other", _("иной документ, удостоверяющий личность")


class Application(models.Model):
    """An application for the service «Предоставление информации о текущей успеваемости…».

    Only the last four characters of the identity document are kept: the
    school sees the document itself when it checks the applicant.
    """

    class Status(models.TextChoices):
        HELD = "held", _("задержано")
        RECEIVED = "received", _("получено")
        IN_WORK = "in_work", _("в работе")
        GRANTED = "granted", _("доступ предоставлен")
        REFUSED = "refused", _("отказано")
        SPAM = "spam", _("отклонено как спам")

    class HoldReason(models.TextChoices):
        ADDRESS = "address", _("много заявлений с одного адреса за час")
        SCHOOL = "school", _("много заявлений в школу за час")

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    number = models.CharField(_("номер"), max_length=32)
    seq = models.PositiveIntegerField()
    received_at = models.DateTimeField(_("получено"))
    # Empty while the application is held: the deadline runs from its release.
    due_on = models.DateField(_("срок"), null=True, blank=True)
    status = models.CharField(_("состояние"), max_length=16, choices=Status.choices, default=Status.RECEIVED)
    applicant_kind = models.CharField(_("заявитель"), max_length=16, choices=ApplicantKind.choices)
    relation = models.CharField(
        _("кем приходится ребёнку"), max_length=16, choices=GuardianLink.Relation.choices, blank=True
    )
    last_name = models.CharField(_("фамилия"), max_length=150)
    first_name = models.CharField(_("имя"), max_length=150)
    middle_name = models.CharField(_("отчество"), max_length=150, blank=True)
    phone = models.CharField(_("телефон"), max_length=32)
    # The phone's last ten digits: how the applicant is found by the status check and duplicates are flagged.
    phone_digits = models.CharField(max_length=10, blank=True, editable=False)
    email = models.EmailField(_("e-mail"), blank=True)
    id_doc_type = models.CharField(_("документ"), max_length=16, choices=IdDocument.choices)
    id_doc_tail = models.CharField(_("последние знаки номера документа"), max_length=4)
    child_last_name = models.CharField(_("фамилия ребёнка"), max_length=150)
    child_first_name = models.CharField(_("имя ребёнка"), max_length=150)
    child_middle_name = models.CharField(_("отчество ребёнка"), max_length=150, blank=True)
    child_birth_date = models.DateField(_("дата рождения ребёнка"))
    child_class = models.CharField(_("класс"), max_length=16)
    consent_given = models.BooleanField(_("согласие на обработку персональных данных"))
    # Flood protection: the one-time nonce of the form it came from (one form, one application), a keyed
    # hash of the sender's address (never the address), and why it was held.
    form_nonce = models.CharField(max_length=32, blank=True, editable=False)
    source = models.CharField(max_length=32, blank=True, editable=False)
    hold_reason = models.CharField(_("причина задержки"), max_length=16, choices=HoldReason.choices, blank=True)
    # The school's work on it.
    student = models.ForeignKey(Student, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    verified_at = models.DateTimeField(_("личность и родство проверены"), null=True, blank=True)
    verification_note = models.CharField(_("отметка о проверке"), max_length=255, blank=True)
    guardian = models.ForeignKey(Guardian, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("решение принято"), null=True, blank=True)
    refusal_reason = models.TextField(_("причина отказа"), blank=True)

    class Meta:
        verbose_name = _("заявление на услугу")
        verbose_name_plural = _("заявления на услугу")
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["school", "status", "received_at"]),
            models.Index(fields=["school", "received_at"], name="service_app_school_recv"),
            models.Index(fields=["source", "received_at"], name="service_app_source_recv"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["school", "seq"], name="service_application_seq_unique"),
            # One form, one application: two posts of one form save one row, whatever their timing.
            models.UniqueConstraint(
                fields=["form_nonce"], condition=~Q(form_nonce=""), name="service_application_nonce_unique"
            ),
            models.CheckConstraint(condition=Q(consent_given=True), name="service_application_consent"),
            models.CheckConstraint(
                condition=Q(status__in=["held", "received", "in_work", "granted", "refused", "spam"]),
                name="service_application_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status="refused") | ~Q(refusal_reason=""), name="service_refusal_has_reason"
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["granted", "refused", "spam"]) | Q(decided_at__isnull=False),
                name="service_decision_dated",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["received", "in_work"]) | Q(due_on__isnull=False),
                name="service_open_has_deadline",
            ),
            models.CheckConstraint(
                condition=~Q(status="held") | Q(due_on__isnull=True), name="service_held_no_deadline"
            ),
            models.CheckConstraint(
                condition=~Q(status="granted") | Q(student__isnull=False, verified_at__isnull=False),
                name="service_grant_checked",
            ),
        ]

    def __str__(self) -> str:
        return f"№ {self.number}"

    @property
    def applicant_name(self) -> str:
        return " ".join(p for p in (self.last_name, self.first_name, self.middle_name) if p)

    @property
    def child_name(self) -> str:
        return " ".join(p for p in (self.child_last_name, self.child_first_name, self.child_middle_name) if p)

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.RECEIVED, self.Status.IN_WORK)


class Consent(models.Model):
    """A written consent to personal-data processing (or a written refusal) for one child.

    `guardian` is empty when a student of 14 or older applied for themself.
    Withdrawing a consent ends the guardian's access to the child.
    """

    class Kind(models.TextChoices):
        CONSENT = "consent", _("письменное согласие")
        REFUSAL = "refusal", _("письменный отказ")

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    guardian = models.ForeignKey(Guardian, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="+")
    application = models.ForeignKey(Application, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    kind = models.CharField(_("вид"), max_length=16, choices=Kind.choices)
    document = models.CharField(_("документ"), max_length=255, blank=True)
    given_at = models.DateField(_("дата"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    recorded_at = models.DateTimeField(_("записано"), auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("отозвано"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    withdrawal = models.CharField(_("основание отзыва"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("согласие на обработку персональных данных")
        verbose_name_plural = _("согласия на обработку персональных данных")
        ordering = ["-given_at", "-id"]
        indexes = [models.Index(fields=["school", "guardian"])]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=["consent", "refusal"]), name="service_consent_kind_valid"),
            models.UniqueConstraint(
                fields=["guardian", "student"],
                condition=Q(withdrawn_at__isnull=True, kind="consent"),
                name="service_consent_one_active",
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True) | ~Q(withdrawal=""), name="service_withdrawal_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.student}"
