"""The school network: municipality → district → school; the school year."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class Municipality(models.Model):
    name = models.CharField(_("название"), max_length=255)
    short_name = models.CharField(_("краткое название"), max_length=100)
    department_name = models.CharField(_("орган управления образованием"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("муниципальное образование")
        verbose_name_plural = _("муниципальные образования")

    def __str__(self) -> str:
        return self.short_name


class District(models.Model):
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="districts")
    name = models.CharField(_("название"), max_length=100)
    office_name = models.CharField(_("отдел образования"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("внутригородской округ")
        verbose_name_plural = _("внутригородские округа")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["municipality", "name"], name="district_unique_name")]

    def __str__(self) -> str:
        return self.name


class School(models.Model):
    class Kind(models.TextChoices):
        SOSH = "sosh", _("СОШ")
        OOSH = "oosh", _("ООШ")
        NOSH = "nosh", _("НОШ")
        GYMNASIUM = "gymnasium", _("гимназия")
        LYCEUM = "lyceum", _("лицей")
        SOSH_UIOP = "sosh_uiop", _("СОШ с углублённым изучением предметов")
        CENTRE = "centre", _("центр образования")

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="schools")
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="schools")
    number = models.PositiveIntegerField(_("номер"), null=True, blank=True)
    kind = models.CharField(_("тип"), max_length=16, choices=Kind.choices, default=Kind.SOSH)
    full_name = models.CharField(_("полное наименование"), max_length=500)
    short_name = models.CharField(_("краткое наименование"), max_length=150)
    # Stable code for short public URLs (the «Муниципальная услуга» page).
    code = models.SlugField(_("код"), max_length=32, unique=True)
    address = models.CharField(_("адрес"), max_length=500, blank=True)
    site_url = models.URLField(_("сайт"), blank=True)
    phone = models.CharField(_("телефон"), max_length=64, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    max_grade = models.PositiveSmallIntegerField(
        _("старший класс"), default=11, validators=[MinValueValidator(1), MaxValueValidator(11)]
    )

    class Meta:
        verbose_name = _("школа")
        verbose_name_plural = _("школы")
        ordering = ["number", "short_name"]

    def __str__(self) -> str:
        return self.short_name


class AcademicYear(models.Model):
    """A school year of the municipality, 1 September – 31 August by default."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="years")
    name = models.CharField(_("учебный год"), max_length=20)
    starts_on = models.DateField(_("начало"))
    ends_on = models.DateField(_("окончание"))
    is_current = models.BooleanField(_("текущий"), default=False)

    class Meta:
        verbose_name = _("учебный год")
        verbose_name_plural = _("учебные годы")
        ordering = ["-starts_on"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "name"], name="year_unique_name"),
            models.CheckConstraint(condition=Q(ends_on__gt=F("starts_on")), name="year_ends_after_start"),
        ]

    def __str__(self) -> str:
        return self.name


class Term(models.Model):
    """A marking period of one school; grades may follow different terms."""

    class Kind(models.TextChoices):
        QUARTER = "quarter", _("четверть")
        TRIMESTER = "trimester", _("триместр")
        HALF_YEAR = "half_year", _("полугодие")

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="terms")
    year = models.ForeignKey(AcademicYear, on_delete=models.PROTECT, related_name="terms")
    kind = models.CharField(_("вид периода"), max_length=16, choices=Kind.choices)
    number = models.PositiveSmallIntegerField(_("номер"), validators=[MinValueValidator(1), MaxValueValidator(4)])
    starts_on = models.DateField(_("начало"))
    ends_on = models.DateField(_("окончание"))
    min_grade = models.PositiveSmallIntegerField(_("с класса"), default=1)
    max_grade = models.PositiveSmallIntegerField(_("по класс"), default=11)

    class Meta:
        verbose_name = _("учебный период")
        verbose_name_plural = _("учебные периоды")
        ordering = ["year", "min_grade", "starts_on"]
        constraints = [
            models.UniqueConstraint(fields=["school", "year", "kind", "number", "min_grade"], name="term_unique"),
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="term_ends_after_start"),
            models.CheckConstraint(condition=Q(max_grade__gte=F("min_grade")), name="term_grades_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.get_kind_display()}"


class Holiday(models.Model):
    """Days without lessons: vacations for the city or one school, public holidays."""

    class Kind(models.TextChoices):
        VACATION = "vacation", _("каникулы")
        PUBLIC = "public", _("праздничный день")
        OTHER = "other", _("другое")

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="holidays")
    school = models.ForeignKey(School, on_delete=models.CASCADE, null=True, blank=True, related_name="holidays")
    year = models.ForeignKey(AcademicYear, on_delete=models.CASCADE, related_name="holidays")
    name = models.CharField(_("название"), max_length=150)
    kind = models.CharField(_("вид"), max_length=16, choices=Kind.choices, default=Kind.VACATION)
    starts_on = models.DateField(_("с"))
    ends_on = models.DateField(_("по"))
    min_grade = models.PositiveSmallIntegerField(_("с класса"), default=1)
    max_grade = models.PositiveSmallIntegerField(_("по класс"), default=11)

    class Meta:
        verbose_name = _("каникулы / праздник")
        verbose_name_plural = _("каникулы и праздники")
        ordering = ["starts_on"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="holiday_ends_after_start"),
        ]

    def __str__(self) -> str:
        return self.name


class SchoolClass(models.Model):
    """A class of one school year: grade 1–11 plus a letter, e.g. 5 «А»."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="classes")
    year = models.ForeignKey(AcademicYear, on_delete=models.PROTECT, related_name="classes")
    grade = models.PositiveSmallIntegerField(_("параллель"), validators=[MinValueValidator(1), MaxValueValidator(11)])
    letter = models.CharField(_("литера"), max_length=8)
    class_teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_classes",
        verbose_name=_("классный руководитель"),
    )
    shift = models.PositiveSmallIntegerField(
        _("смена"), default=1, validators=[MinValueValidator(1), MaxValueValidator(2)]
    )

    class Meta:
        verbose_name = _("класс")
        verbose_name_plural = _("классы")
        ordering = ["grade", "letter"]
        constraints = [
            models.UniqueConstraint(fields=["school", "year", "grade", "letter"], name="class_unique_name"),
            models.CheckConstraint(condition=Q(grade__gte=1) & Q(grade__lte=11), name="class_grade_1_11"),
        ]

    def __str__(self) -> str:
        return f"{self.grade} «{self.letter}»"


class Subgroup(models.Model):
    """Part of a class taught separately (a foreign language, informatics)."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    school_class = models.ForeignKey(SchoolClass, on_delete=models.CASCADE, related_name="subgroups")
    name = models.CharField(_("название"), max_length=100)

    class Meta:
        verbose_name = _("подгруппа")
        verbose_name_plural = _("подгруппы")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["school_class", "name"], name="subgroup_unique_name")]

    def __str__(self) -> str:
        return f"{self.school_class} — {self.name}"


class StudyWeek(models.Model):
    """Five- or six-day week for a band of grades of a school in a year (default five)."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    year = models.ForeignKey(AcademicYear, on_delete=models.PROTECT, related_name="+")
    min_grade = models.PositiveSmallIntegerField(_("с класса"), default=1)
    max_grade = models.PositiveSmallIntegerField(_("по класс"), default=11)
    days = models.PositiveSmallIntegerField(
        _("учебных дней в неделю"), default=5, validators=[MinValueValidator(5), MaxValueValidator(6)]
    )

    class Meta:
        verbose_name = _("учебная неделя")
        verbose_name_plural = _("учебные недели")
        ordering = ["min_grade"]
        constraints = [
            models.CheckConstraint(condition=Q(days__gte=5) & Q(days__lte=6), name="study_week_5_or_6_days"),
            models.CheckConstraint(condition=Q(max_grade__gte=F("min_grade")), name="study_week_grades_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.min_grade}–{self.max_grade}: {self.days}"
