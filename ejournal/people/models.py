"""People of the school network: appointments (roles), students, guardians, enrolments."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from ejournal.access.roles import Role
from ejournal.schools.models import District, Municipality, School, SchoolClass, Subgroup


class RoleAssignment(models.Model):
    """An appointment of a user to a role in a scope (city, district or school).

    Staff positions live here too: a teacher of a school is an assignment with
    role `teacher` and a position title («учитель математики»). Ended
    appointments stay for history (`ends_on`).
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(_("роль"), max_length=32, choices=Role.choices)
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    district = models.ForeignKey(District, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    school = models.ForeignKey(School, on_delete=models.PROTECT, null=True, blank=True, related_name="staff")
    position = models.CharField(_("должность"), max_length=255, blank=True)
    starts_on = models.DateField(_("с"), null=True, blank=True)
    ends_on = models.DateField(_("по"), null=True, blank=True)

    class Meta:
        verbose_name = _("назначение")
        verbose_name_plural = _("назначения")
        indexes = [models.Index(fields=["school", "role"])]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(role__in=["municipal_officer", "methodist"], municipality__isnull=False)
                    | Q(role="district_officer", district__isnull=False)
                    | Q(role__in=["director", "deputy_head", "journal_coordinator", "teacher"], school__isnull=False)
                ),
                name="role_has_scope",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(starts_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="role_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        scope = self.school or self.district or self.municipality
        return f"{self.get_role_display()} — {scope}"


class Gender(models.TextChoices):
    MALE = "m", _("мужской")
    FEMALE = "f", _("женский")


class Student(models.Model):
    """A student. `school` and `school_class` are the current enrolment, kept by services.

    The history of arrivals, transfers and departures is in `Enrolment`.
    """

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="students")
    school_class = models.ForeignKey(
        SchoolClass, on_delete=models.PROTECT, null=True, blank=True, related_name="students"
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="student"
    )
    last_name = models.CharField(_("фамилия"), max_length=150)
    first_name = models.CharField(_("имя"), max_length=150)
    middle_name = models.CharField(_("отчество"), max_length=150, blank=True)
    birth_date = models.DateField(_("дата рождения"), null=True, blank=True)
    gender = models.CharField(_("пол"), max_length=1, choices=Gender.choices, blank=True)
    # Личное дело: the school's own number, used to match rows on re-import.
    record_number = models.CharField(_("номер личного дела"), max_length=32, blank=True)
    is_active = models.BooleanField(_("обучается"), default=True)

    class Meta:
        verbose_name = _("обучающийся")
        verbose_name_plural = _("обучающиеся")
        ordering = ["last_name", "first_name", "middle_name"]
        indexes = [models.Index(fields=["school", "school_class"])]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "record_number"], condition=~Q(record_number=""), name="student_unique_record"
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.last_name, self.first_name, self.middle_name) if p)


class Guardian(models.Model):
    """A parent or legal representative; may have children in several schools."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="guardian"
    )
    last_name = models.CharField(_("фамилия"), max_length=150)
    first_name = models.CharField(_("имя"), max_length=150)
    middle_name = models.CharField(_("отчество"), max_length=150, blank=True)
    phone = models.CharField(_("телефон"), max_length=32, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)

    class Meta:
        verbose_name = _("родитель (законный представитель)")
        verbose_name_plural = _("родители (законные представители)")
        ordering = ["last_name", "first_name", "middle_name"]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.last_name, self.first_name, self.middle_name) if p)


class GuardianLink(models.Model):
    """Who is whose: a guardian linked to a student, with the kind of relation."""

    class Relation(models.TextChoices):
        MOTHER = "mother", _("мать")
        FATHER = "father", _("отец")
        GUARDIAN = "guardian", _("опекун")
        TRUSTEE = "trustee", _("попечитель")
        FOSTER = "foster", _("приёмный родитель")
        REPRESENTATIVE = "representative", _("иной законный представитель")

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    guardian = models.ForeignKey(Guardian, on_delete=models.CASCADE, related_name="links")
    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="guardian_links")
    relation = models.CharField(_("кем приходится"), max_length=16, choices=Relation.choices)

    class Meta:
        verbose_name = _("связь с ребёнком")
        verbose_name_plural = _("связи с детьми")
        constraints = [models.UniqueConstraint(fields=["guardian", "student"], name="guardian_link_unique")]

    def __str__(self) -> str:
        return f"{self.guardian} — {self.student} ({self.get_relation_display()})"


class Enrolment(models.Model):
    """A student's stay in a class, from a date to a date; the history of moves."""

    class Reason(models.TextChoices):
        ADMISSION = "admission", _("зачисление")
        TRANSFER = "transfer", _("перевод")
        PROMOTION = "promotion", _("перевод в следующий класс")
        DEPARTURE = "departure", _("выбытие")
        GRADUATION = "graduation", _("окончание школы")

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="enrolments")
    school_class = models.ForeignKey(SchoolClass, on_delete=models.PROTECT, related_name="enrolments")
    starts_on = models.DateField(_("с"))
    ends_on = models.DateField(_("по"), null=True, blank=True)
    start_reason = models.CharField(_("основание зачисления"), max_length=16, choices=Reason.choices)
    end_reason = models.CharField(_("основание выбытия"), max_length=16, choices=Reason.choices, blank=True)
    order_number = models.CharField(_("номер приказа"), max_length=64, blank=True)
    note = models.CharField(_("примечание"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("зачисление")
        verbose_name_plural = _("движение обучающихся")
        ordering = ["starts_on"]
        indexes = [models.Index(fields=["school_class", "starts_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")), name="enrolment_dates_ordered"
            ),
            models.UniqueConstraint(
                fields=["student"], condition=Q(ends_on__isnull=True), name="enrolment_one_open_per_student"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.student} — {self.school_class} с {self.starts_on:%d.%m.%Y}"


class SubgroupMembership(models.Model):
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    subgroup = models.ForeignKey(Subgroup, on_delete=models.CASCADE, related_name="memberships")
    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="subgroup_memberships")
    starts_on = models.DateField(_("с"))
    ends_on = models.DateField(_("по"), null=True, blank=True)

    class Meta:
        verbose_name = _("состав подгруппы")
        verbose_name_plural = _("составы подгрупп")
        constraints = [
            models.UniqueConstraint(
                fields=["subgroup", "student"], condition=Q(ends_on__isnull=True), name="subgroup_member_unique_open"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.student} — {self.subgroup}"


class Departure(models.Model):
    """A student leaving a school (выбытие), or a transfer out to another school of the city.

    Kept by the school that was left: when a student moves to another school,
    `Student.school` follows them, and this row (with the closed `Enrolment`)
    is what keeps the departure, its order and its reason in the sending
    school's records («книга движения»).
    """

    class Kind(models.TextChoices):
        DEPARTURE = "departure", _("выбытие")
        TRANSFER_OUT = "transfer_out", _("перевод в другую школу города")

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="departures")
    enrolment = models.OneToOneField(Enrolment, on_delete=models.CASCADE, related_name="departure")
    kind = models.CharField(_("вид"), max_length=16, choices=Kind.choices)
    on_date = models.DateField(_("дата"))
    to_school = models.ForeignKey(
        School, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("в школу")
    )
    reason = models.CharField(_("причина"), max_length=255, blank=True)
    order_number = models.CharField(_("номер приказа"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("выбытие")
        verbose_name_plural = _("выбытия")
        ordering = ["-on_date", "-id"]
        indexes = [models.Index(fields=["school", "on_date"])]

    def __str__(self) -> str:
        return f"{self.student} — {self.get_kind_display()} {self.on_date:%d.%m.%Y}"
