"""The journal: marks, attendance, homework, lesson notes, thematic plans, period marks, closures, change log.

Every table carries `school_id` (indexed through its foreign key) so that the
journal can be partitioned by school. Rows are written only by the services in
`ejournal.journal.services`, which also write the `ChangeRecord` of every
change in the same transaction. Invariants are database constraints first.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ejournal.curriculum.models import Subject, TeachingAssignment
from ejournal.people.models import Student
from ejournal.schools.models import AcademicYear, School, SchoolClass, Term
from ejournal.timetable.models import Lesson

from .chain import GENESIS

USER = settings.AUTH_USER_MODEL


class WorkType(models.Model):
    """Вид работы: a school setting that carries the weight of its marks in the weighted average.

    `is_written` marks work checked after the lesson (the written-work deadline
    applies); `is_composition` selects the longer deadline of compositions.
    """

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    code = models.SlugField(_("код"), max_length=32)
    name = models.CharField(_("вид работы"), max_length=100)
    weight = models.DecimalField(_("вес"), max_digits=4, decimal_places=2, default=Decimal("1"))
    is_written = models.BooleanField(_("письменная работа"), default=False)
    is_composition = models.BooleanField(_("сочинение"), default=False)
    position = models.PositiveSmallIntegerField(_("порядок"), default=100)
    is_active = models.BooleanField(_("используется"), default=True)

    class Meta:
        verbose_name = _("вид работы")
        verbose_name_plural = _("виды работ")
        ordering = ["position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["school", "code"], name="work_type_unique_code"),
            models.CheckConstraint(condition=Q(weight__gt=0), name="work_type_weight_positive"),
        ]

    def __str__(self) -> str:
        return self.name


class ScaleKind(models.TextChoices):
    FIVE = "five", _("пятибалльная (1–5)")
    FIVE_FROM_TWO = "five_from_two", _("пятибалльная (2–5)")
    PASS_FAIL = "pass_fail", _("зачёт / незачёт")


class MarkScale(models.Model):
    """The scale of a subject in a school; a subject without a row uses the rules' default scale."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    subject = models.ForeignKey(Subject, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("шкала"), max_length=16, choices=ScaleKind.choices, default=ScaleKind.FIVE)

    class Meta:
        verbose_name = _("шкала отметок")
        verbose_name_plural = _("шкалы отметок")
        constraints = [models.UniqueConstraint(fields=["school", "subject"], name="mark_scale_unique_subject")]

    def __str__(self) -> str:
        return f"{self.subject}: {self.get_kind_display()}"


MARK_PASS = "зач"  # noqa: S105 - a mark symbol, not a password
MARK_FAIL = "незач"


class Mark(models.Model):
    """Отметка: a value on the subject's scale for one kind of work, given to a student in a lesson.

    `weight` is the work type's weight when the mark was given (later changes
    of the setting do not rewrite history). `version` grows on every change
    (optimistic concurrency); `client_token` makes a retried request idempotent.
    `slot` is the mark's place in its cell (lesson × student), unique there: a
    new mark takes one more than the highest slot its writer saw (0 in an empty
    cell), so of two writers who saw the same cell only one can add to it, and
    the database, not a read before the insert, decides which.
    """

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    # (lesson, student, slot) and (student, lesson) below serve both foreign keys: no single-column indexes
    lesson = models.ForeignKey(Lesson, on_delete=models.PROTECT, related_name="marks", db_index=False)
    student = models.ForeignKey(Student, on_delete=models.PROTECT, related_name="marks", db_index=False)
    value = models.PositiveSmallIntegerField(_("отметка"), null=True, blank=True)
    symbol = models.CharField(_("зачёт"), max_length=8, blank=True)
    work_type = models.ForeignKey(WorkType, on_delete=models.PROTECT, related_name="+", verbose_name=_("вид работы"))
    weight = models.DecimalField(_("вес"), max_digits=4, decimal_places=2)
    comment = models.CharField(_("комментарий"), max_length=255, blank=True)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("создано"), auto_now_add=True)
    updated_at = models.DateTimeField(_("изменено"), auto_now=True)
    version = models.PositiveIntegerField(_("версия"), default=1)
    client_token = models.CharField(max_length=64, null=True, blank=True)
    # A bulk load that inserts no slot (one mark per cell) gets 0 from the database.
    slot = models.PositiveSmallIntegerField(default=0, db_default=0)

    class Meta:
        verbose_name = _("отметка")
        verbose_name_plural = _("отметки")
        ordering = ["lesson", "student", "created_at", "id"]
        # The cell's unique (lesson, student, slot) index below also serves (lesson, student) reads and the lesson's
        # foreign key; (student, lesson) the student's.
        indexes = [models.Index(fields=["student", "lesson"], name="mark_student_lesson_idx")]
        constraints = [
            models.CheckConstraint(
                condition=(Q(value__isnull=False, value__gte=1, value__lte=5, symbol=""))
                | Q(value__isnull=True, symbol__in=[MARK_PASS, MARK_FAIL]),
                name="mark_value_or_symbol",
            ),
            models.CheckConstraint(condition=Q(weight__gt=0), name="mark_weight_positive"),
            models.UniqueConstraint(
                fields=["school", "client_token"], condition=Q(client_token__isnull=False), name="mark_unique_token"
            ),
            models.UniqueConstraint(fields=["lesson", "student", "slot"], name="mark_unique_cell_slot"),
        ]

    def __str__(self) -> str:
        return self.display

    @property
    def display(self) -> str:
        return str(self.value) if self.value is not None else self.symbol


class AttendanceCode(models.TextChoices):
    ABSENT = "н", _("н — отсутствовал")
    ILL = "б", _("б — болезнь")
    EXCUSED = "уп", _("уп — уважительная причина")
    LATE = "оп", _("оп — опоздание")


class Attendance(models.Model):
    """A student's absence or lateness at a lesson; no row means present.

    The teacher marks «н» or «оп»; the class teacher later turns «н» into «б»
    or «уп» with the document it rests on (`reason_note`).
    """

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    # the unique (lesson, student) and the (student, lesson) index serve both foreign keys
    lesson = models.ForeignKey(Lesson, on_delete=models.PROTECT, related_name="attendance", db_index=False)
    student = models.ForeignKey(Student, on_delete=models.PROTECT, related_name="attendance", db_index=False)
    code = models.CharField(_("отметка посещаемости"), max_length=2, choices=AttendanceCode.choices)
    late_minutes = models.PositiveSmallIntegerField(_("опоздание, мин"), null=True, blank=True)
    reason_note = models.CharField(_("документ / причина"), max_length=255, blank=True)
    reason_set_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    reason_set_at = models.DateTimeField(_("причина указана"), null=True, blank=True)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(_("изменено"), auto_now=True)
    version = models.PositiveIntegerField(_("версия"), default=1)

    class Meta:
        verbose_name = _("посещаемость")
        verbose_name_plural = _("посещаемость")
        indexes = [models.Index(fields=["student", "lesson"], name="attendance_student_lesson_idx")]
        constraints = [
            models.UniqueConstraint(fields=["lesson", "student"], name="attendance_unique_cell"),
            models.CheckConstraint(condition=Q(code__in=["н", "б", "уп", "оп"]), name="attendance_code_valid"),
            models.CheckConstraint(
                condition=Q(late_minutes__isnull=True) | Q(code="оп"), name="attendance_minutes_only_late"
            ),
        ]

    def __str__(self) -> str:
        return self.code


class LessonNote(models.Model):
    """What the journal adds to a dated lesson: the control-work flag, the planned topic taught, the kind of work.

    `work_type` is the column's kind of work: marks typed into the lesson's
    column take it (and its weight); empty means «test» for a control work,
    else the school's default («ответ на уроке»).
    """

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    lesson = models.OneToOneField(Lesson, on_delete=models.CASCADE, related_name="journal_note")
    is_control_work = models.BooleanField(_("контрольная работа"), default=False)
    planned_topic = models.ForeignKey(
        "PlannedTopic", on_delete=models.SET_NULL, null=True, blank=True, related_name="lesson_notes"
    )
    topic_set_at = models.DateTimeField(_("тема записана"), null=True, blank=True)
    work_type = models.ForeignKey(
        WorkType, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("вид работы для отметок урока"),
    )  # fmt: skip

    class Meta:
        verbose_name = _("запись об уроке")
        verbose_name_plural = _("записи об уроках")

    def __str__(self) -> str:
        return str(self.lesson_id)


class Homework(models.Model):
    """Домашнее задание given at a lesson, due on a date (by default the next lesson of the assignment)."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    lesson = models.OneToOneField(Lesson, on_delete=models.CASCADE, related_name="homework")
    # The lesson's class, kept here for the homework due in a class's week (the diary reads it for every page,
    # by the index below, instead of walking the class's lessons of the whole year).
    school_class = models.ForeignKey(SchoolClass, on_delete=models.CASCADE, related_name="+", db_index=False)
    text = models.TextField(_("домашнее задание"), blank=True)
    due_date = models.DateField(_("к дате"))
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    published_at = models.DateTimeField(_("опубликовано"), auto_now_add=True)
    updated_at = models.DateTimeField(_("изменено"), auto_now=True)

    class Meta:
        verbose_name = _("домашнее задание")
        verbose_name_plural = _("домашние задания")
        indexes = [models.Index(fields=["school", "due_date"]), models.Index(fields=["school_class", "due_date"])]

    def __str__(self) -> str:
        return self.text[:50]


def _attachment_path(instance: HomeworkAttachment, filename: str) -> str:
    # The stored name is opaque: the original name is kept in the row, never trusted as a path.
    return f"homework/{instance.school_id}/{instance.homework_id}/{instance.token}"


class HomeworkAttachment(models.Model):
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    homework = models.ForeignKey(Homework, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("файл"), upload_to=_attachment_path, max_length=255)
    token = models.CharField(max_length=64)
    original_name = models.CharField(_("имя файла"), max_length=255)
    size = models.PositiveIntegerField(_("размер, байт"))
    content_type = models.CharField(_("тип"), max_length=100, blank=True)
    uploaded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("загружено"), auto_now_add=True)

    class Meta:
        verbose_name = _("файл задания")
        verbose_name_plural = _("файлы заданий")

    def __str__(self) -> str:
        return self.original_name


class ThematicPlan(models.Model):
    """КТП: the planned sequence of topics of one teaching assignment."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    assignment = models.OneToOneField(TeachingAssignment, on_delete=models.CASCADE, related_name="thematic_plan")
    updated_at = models.DateTimeField(_("изменено"), auto_now=True)

    class Meta:
        verbose_name = _("тематическое планирование")
        verbose_name_plural = _("тематическое планирование")

    def __str__(self) -> str:
        return str(self.assignment)


class PlannedTopic(models.Model):
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    plan = models.ForeignKey(ThematicPlan, on_delete=models.CASCADE, related_name="topics")
    position = models.PositiveIntegerField(_("№"))
    title = models.CharField(_("тема"), max_length=500)
    hours = models.PositiveSmallIntegerField(_("часов"), default=1)
    is_control_work = models.BooleanField(_("контрольная работа"), default=False)

    class Meta:
        verbose_name = _("тема плана")
        verbose_name_plural = _("темы плана")
        ordering = ["plan", "position"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "position"], name="planned_topic_unique_position"),
            models.CheckConstraint(condition=Q(hours__gte=1), name="planned_topic_hours_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.title}"


class PeriodKind(models.TextChoices):
    TERM = "term", _("за период")
    YEAR = "year", _("годовая")
    EXAM = "exam", _("экзаменационная")
    FINAL = "final", _("итоговая")


PERIOD_VALUES = ["5", "4", "3", "2", "1", "н/а", "осв", MARK_PASS, MARK_FAIL]


class PeriodMark(models.Model):
    """Четвертная / полугодовая / годовая / итоговая отметка of a student in a subject of a class.

    Kept by class and subject (not by assignment), so a mid-year change of
    teacher does not split it. `term` is set for kind «term» only; `suggested`
    and `average` keep what the system proposed when the teacher confirmed.
    """

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    year = models.ForeignKey(AcademicYear, on_delete=models.PROTECT, related_name="+")
    student = models.ForeignKey(Student, on_delete=models.PROTECT, related_name="period_marks")
    school_class = models.ForeignKey(SchoolClass, on_delete=models.PROTECT, related_name="+")
    subject = models.ForeignKey(Subject, on_delete=models.PROTECT, related_name="+")
    term = models.ForeignKey(Term, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    kind = models.CharField(_("вид"), max_length=8, choices=PeriodKind.choices)
    value = models.CharField(_("отметка"), max_length=8)
    suggested = models.CharField(_("предложено"), max_length=8, blank=True)
    average = models.DecimalField(_("средневзвешенный балл"), max_digits=4, decimal_places=2, null=True, blank=True)
    confirmed_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    confirmed_at = models.DateTimeField(_("выставлено"))
    version = models.PositiveIntegerField(_("версия"), default=1)

    class Meta:
        verbose_name = _("итоговая отметка за период")
        verbose_name_plural = _("итоговые отметки за периоды")
        indexes = [models.Index(fields=["school_class", "term"])]
        constraints = [
            models.CheckConstraint(condition=Q(value__in=PERIOD_VALUES), name="period_mark_value_valid"),
            models.CheckConstraint(
                condition=Q(kind="term", term__isnull=False) | (~Q(kind="term") & Q(term__isnull=True)),
                name="period_mark_term_only_for_term_kind",
            ),
            models.UniqueConstraint(
                fields=["student", "subject", "term"], condition=Q(kind="term"), name="period_mark_unique_term"
            ),
            models.UniqueConstraint(
                fields=["student", "subject", "year", "kind"],
                condition=~Q(kind="term"),
                name="period_mark_unique_year_kind",
            ),
        ]

    def __str__(self) -> str:
        return self.value


class TermClosure(models.Model):
    """A closed term for one class, or for the whole school (`school_class` empty)."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    term = models.ForeignKey(Term, on_delete=models.PROTECT, related_name="+")
    school_class = models.ForeignKey(SchoolClass, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    closed_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    closed_at = models.DateTimeField(_("закрыт"), auto_now_add=True)

    class Meta:
        verbose_name = _("закрытие периода")
        verbose_name_plural = _("закрытия периодов")
        constraints = [
            models.UniqueConstraint(
                fields=["term", "school_class"], condition=Q(school_class__isnull=False), name="closure_unique_class"
            ),
            models.UniqueConstraint(
                fields=["term"], condition=Q(school_class__isnull=True), name="closure_unique_whole_school"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.term} {self.school_class or ''}".strip()


class CorrectionKind(models.TextChoices):
    MARK = "mark", _("отметка")
    ATTENDANCE = "attendance", _("посещаемость")
    TOPIC = "topic", _("тема урока")
    HOMEWORK = "homework", _("домашнее задание")
    PERIOD_MARK = "period_mark", _("отметка за период")


class CorrectionRequest(models.Model):
    """A teacher's request to change the journal after the deadline or in a closed term.

    `proposed` is the exact change (see `services.corrections.proposal`); once
    approved, that change and only that change goes through, once, by the
    teacher who filed it; the request then becomes «applied».
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("на рассмотрении")
        APPROVED = "approved", _("разрешено")
        REJECTED = "rejected", _("отклонено")
        APPLIED = "applied", _("исправлено")

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("что исправить"), max_length=16, choices=CorrectionKind.choices)
    lesson = models.ForeignKey(Lesson, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    student = models.ForeignKey(Student, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    term = models.ForeignKey(Term, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    subject = models.ForeignKey(Subject, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    target_id = models.BigIntegerField(_("исправляемая запись"), null=True, blank=True)
    proposed = models.JSONField(_("предлагаемое изменение"), default=dict)
    reason = models.TextField(_("причина"))
    status = models.CharField(_("состояние"), max_length=16, choices=Status.choices, default=Status.PENDING)
    filed_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    filed_role = models.CharField(max_length=32, blank=True)
    filed_at = models.DateTimeField(_("подано"), auto_now_add=True)
    decided_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    decided_role = models.CharField(max_length=32, blank=True)
    decided_at = models.DateTimeField(_("рассмотрено"), null=True, blank=True)
    decision_note = models.TextField(_("решение"), blank=True)
    applied_at = models.DateTimeField(_("исправлено"), null=True, blank=True)
    # What the journal held when the request was filed (the cell's text, the topic…): the reviewer's «было».
    current = models.TextField(_("было"), blank=True)
    # When the teacher who filed it saw the decision (on «Мои запросы»); None: a decision not seen yet.
    decision_seen_at = models.DateTimeField(_("решение просмотрено"), null=True, blank=True)

    class Meta:
        verbose_name = _("запрос на исправление")
        verbose_name_plural = _("запросы на исправление")
        ordering = ["-filed_at", "-id"]
        indexes = [
            models.Index(fields=["school", "status"]),
            models.Index(fields=["filed_by", "-filed_at"], name="correction_filer_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="correction_has_reason"),
            models.CheckConstraint(
                condition=Q(status="pending") | Q(decided_at__isnull=False), name="correction_decided_has_date"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.get_status_display()}"


class ChangeRecord(models.Model):
    """One changed field of the journal: who, in which role, when, old → new, why. Append-only.

    Indexed by (lesson, student) so that the full history of a cell is one
    index scan. The application has no code path that updates or deletes rows
    (on PostgreSQL a trigger refuses both). Rows are inserted only by
    `services.chain.change_records_append`, which links each to the previous
    record of its school: `prev_hash` and `hash` (see `journal/chain.py`).
    """

    class Action(models.TextChoices):
        CREATE = "create", _("создание")
        UPDATE = "update", _("изменение")
        DELETE = "delete", _("удаление")

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    entity = models.CharField(_("запись"), max_length=16)
    entity_id = models.BigIntegerField(_("номер записи"), null=True, blank=True)
    action = models.CharField(_("действие"), max_length=8, choices=Action.choices)
    lesson = models.ForeignKey(Lesson, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    student = models.ForeignKey(Student, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    term = models.ForeignKey(Term, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    field = models.CharField(_("поле"), max_length=32)
    old = models.TextField(_("было"), blank=True)
    new = models.TextField(_("стало"), blank=True)
    actor = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("кто"))
    actor_role = models.CharField(_("роль"), max_length=32)
    # Set by change_records_append before hashing (not auto_now_add: the hash covers it).
    at = models.DateTimeField(_("когда"), default=timezone.now)
    reason = models.TextField(_("причина"), blank=True)
    correction_request = models.ForeignKey(
        CorrectionRequest, on_delete=models.PROTECT, null=True, blank=True, related_name="changes"
    )
    is_late = models.BooleanField(_("после срока"), default=False)
    prev_hash = models.CharField(_("хеш предыдущей записи"), max_length=64, blank=True)
    hash = models.CharField(_("хеш записи"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("изменение журнала")
        verbose_name_plural = _("история изменений журнала")
        ordering = ["at", "id"]
        indexes = [
            models.Index(fields=["lesson", "student", "at"], name="change_cell_idx"),
            models.Index(fields=["school", "at"], name="change_school_at_idx"),
            models.Index(fields=["entity", "entity_id"], name="change_entity_idx"),
            # The chain is walked per school in id order (journal_verify, the archive).
            models.Index(fields=["school", "id"], name="change_school_chain_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.entity}.{self.field}: {self.old} → {self.new}"


class ChainHead(models.Model):
    """The end of a school's chain of change records; its row lock serializes appends to that chain."""

    school = models.OneToOneField(School, on_delete=models.CASCADE, primary_key=True, related_name="+")
    last_id = models.BigIntegerField(null=True, blank=True)
    last_hash = models.CharField(max_length=64, default=GENESIS)
    length = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("конец цепочки изменений")
        verbose_name_plural = _("концы цепочек изменений")

    def __str__(self) -> str:
        return f"{self.school_id}: {self.last_id}"


class ChainAnchor(models.Model):
    """A school chain's end on one day: printed in the city's monthly report and kept in the archive.

    Once published, an anchor pins the chain up to that record: rewriting the history before it changes
    every later hash and no longer ends in the published one.
    """

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    day = models.DateField(_("дата"))
    last_id = models.BigIntegerField(_("последняя запись"), null=True, blank=True)
    hash = models.CharField(_("хеш"), max_length=64)
    length = models.BigIntegerField(_("записей в цепочке"), default=0)

    class Meta:
        verbose_name = _("отметка цепочки изменений")
        verbose_name_plural = _("отметки цепочек изменений")
        ordering = ["school", "day"]
        constraints = [models.UniqueConstraint(fields=["school", "day"], name="chain_anchor_unique_day")]

    def __str__(self) -> str:
        return f"{self.school_id} {self.day}: {self.hash[:12]}"


class ChainCheck(models.Model):
    """The last verification of a school's journal against its chain: when, and the first breach found."""

    school = models.OneToOneField(School, on_delete=models.CASCADE, primary_key=True, related_name="+")
    checked_at = models.DateTimeField(_("проверено"))
    ok = models.BooleanField(_("без нарушений"))
    records = models.BigIntegerField(_("записей проверено"), default=0)
    breach_record_id = models.BigIntegerField(_("запись"), null=True, blank=True)
    breach_entity = models.CharField(_("что изменено"), max_length=32, blank=True)
    breach_entity_id = models.BigIntegerField(_("номер"), null=True, blank=True)
    breach = models.CharField(_("нарушение"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("проверка журнала")
        verbose_name_plural = _("проверки журнала")

    def __str__(self) -> str:
        return f"{self.school_id}: {'ok' if self.ok else self.breach}"
