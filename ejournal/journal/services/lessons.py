"""What the teacher writes about a lesson: the topic (control work, planned topic), the column's kind of work, homework."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Sequence
from pathlib import PurePath
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ejournal.access.policy import Actor
from ejournal.timetable.models import Lesson

from .. import sql
from ..models import (
    CorrectionKind,
    CorrectionRequest,
    Homework,
    HomeworkAttachment,
    LessonNote,
    PlannedTopic,
    WorkType,
)
from ..rules import JournalRules, rules_for
from .common import Admission, admit, is_closed, record_changes, require_keeper, ru_date, term_of
from .corrections import homework_proposal, topic_proposal

HELD = sql.HELD  # held lessons: scheduled or extra


def lesson_topic_set(
    *,
    lesson: Lesson,
    topic: str,
    planned_topic: PlannedTopic | None = None,
    is_control_work: bool | None = None,
    correction: CorrectionRequest | None = None,
    actor: Actor,
) -> Lesson:
    """Write the lesson's topic; optionally link the planned topic taught and flag a control work.

    Deadline: the lesson day (later or in a closed term only with an approved
    correction for this topic). `is_control_work` None leaves the flag as is.
    """
    topic = " ".join(topic.split())
    rules = rules_for(lesson.school)
    if len(topic) > rules.topic_max:
        raise ValidationError(_("Тема урока длиннее %(max)s знаков.") % {"max": rules.topic_max}, code="topic")
    require_keeper(actor, lesson)
    if planned_topic is not None and planned_topic.plan.assignment_id != lesson.assignment_id:
        raise ValidationError(_("Эта тема из планирования другого предмета или класса."), code="planned_topic")
    term = term_of(lesson)
    with transaction.atomic():
        admission = admit(
            actor=actor, kind=CorrectionKind.TOPIC, term=term, school_class_id=lesson.school_class_id,
            deadline=lesson.date + dt.timedelta(days=rules.same_day_grace_days),
            proposal=topic_proposal(topic=topic), correction=correction, lesson=lesson,
        )  # fmt: skip
        note, _created = LessonNote.objects.select_for_update().get_or_create(
            lesson=lesson, defaults={"school_id": lesson.school_id}
        )
        changes: dict[str, tuple[Any, Any]] = {}
        if lesson.topic != topic:
            changes["topic"] = (lesson.topic, topic)
            Lesson.objects.filter(pk=lesson.pk).update(topic=topic)
            lesson.topic = topic
        if is_control_work is not None and note.is_control_work != is_control_work:
            changes["is_control_work"] = (note.is_control_work, is_control_work)
            note.is_control_work = is_control_work
        if planned_topic is not None and note.planned_topic_id != planned_topic.pk:
            changes["planned_topic"] = (note.planned_topic, planned_topic)
            note.planned_topic = planned_topic
        if changes:
            note.topic_set_at = timezone.now()
            note.save()
            record_changes(
                actor=actor, school_id=lesson.school_id, entity="lesson", entity_id=lesson.pk, action="update",
                changes=changes, admission=admission, lesson_id=lesson.pk,
            )  # fmt: skip
    return lesson


def lesson_work_type_set(*, lesson: Lesson, work_type: WorkType | None, actor: Actor) -> LessonNote:
    """Choose the kind of work of a lesson's column: marks typed there later take it (and its weight).

    None returns to the default (a control work's «test», else «ответ на уроке»).
    Marks already given keep their kind: changing a mark's kind is a change of
    that mark. Refused in a closed term.
    """
    require_keeper(actor, lesson)
    if work_type is not None and (work_type.school_id != lesson.school_id or not work_type.is_active):
        raise ValidationError(_("Выберите вид работы из настроек школы."), code="work_type")
    term = term_of(lesson)
    if is_closed(term, lesson.school_class_id):
        raise ValidationError(_("Период «%(term)s» закрыт: вид работы урока не меняется.") % {"term": term},
                              code="closed")  # fmt: skip
    with transaction.atomic():
        note, _created = LessonNote.objects.select_for_update().get_or_create(
            lesson=lesson, defaults={"school_id": lesson.school_id}
        )
        if note.work_type_id != (work_type.pk if work_type else None):
            record_changes(
                actor=actor, school_id=lesson.school_id, entity="lesson", entity_id=lesson.pk, action="update",
                changes={"work_type": (note.work_type, work_type)}, admission=Admission(late=False),
                lesson_id=lesson.pk,
            )  # fmt: skip
            note.work_type = work_type
            note.save(update_fields=["work_type"])
    return note


def next_lesson_date(lesson: Lesson) -> dt.date | None:
    """The date of the next held lesson of the same class (subgroup) and subject after this one."""
    return (
        Lesson.objects.filter(
            school_class_id=lesson.school_class_id, subgroup=lesson.subgroup_id, subject_id=lesson.subject_id,
            status__in=HELD, date__gt=lesson.date,
        )
        .order_by("date", "lesson_number")
        .values_list("date", flat=True)
        .first()
    )  # fmt: skip


def check_attachments(files: Sequence[UploadedFile], already: int, rules: JournalRules) -> None:
    """Refuse files of a type not allowed, too large, or too many (limits are the rules' settings)."""
    if already + len(files) > rules.homework_max_files:
        raise ValidationError(
            _("К заданию можно приложить не больше %(n)s файлов.") % {"n": rules.homework_max_files},
            code="files",
        )
    for file in files:
        ext = PurePath(file.name or "").suffix.lower().lstrip(".")
        if ext not in rules.homework_extensions:
            raise ValidationError(
                _("Файл «%(name)s»: такой тип не принимается. Можно: %(types)s.")
                % {"name": file.name, "types": ", ".join(rules.homework_extensions)},
                code="file_type",
            )
        if (file.size or 0) > rules.homework_max_bytes:
            raise ValidationError(
                _("Файл «%(name)s» больше %(mb)s МБ.")
                % {"name": file.name, "mb": rules.homework_max_bytes // (1024 * 1024)},
                code="file_size",
            )


def homework_set(
    *,
    lesson: Lesson,
    text: str,
    due_date: dt.date | None = None,
    files: Sequence[UploadedFile] = (),
    remove_attachment_ids: Sequence[int] = (),
    correction: CorrectionRequest | None = None,
    actor: Actor,
) -> Homework:
    """Publish or change the homework of a lesson, with attachments.

    `due_date` defaults to the next lesson of the class and subject (a week
    later when none is scheduled); for homework already published an empty
    `due_date` keeps the saved one. Deadline: the end of the lesson day. All
    files are checked before anything is written. Saving it again unchanged
    writes nothing (no change record, no correction used up) and is not late.
    """
    text = text.strip()
    rules = rules_for(lesson.school)
    if len(text) > rules.homework_text_max:
        raise ValidationError(_("Текст задания длиннее %(max)s знаков.") % {"max": rules.homework_text_max})
    require_keeper(actor, lesson)
    homework = Homework.objects.filter(lesson=lesson).first()
    if homework is not None:
        due_date = due_date or homework.due_date
        if (homework.text, homework.due_date) == (text, due_date) and not files and not remove_attachment_ids:
            return homework
    kept = homework.attachments.exclude(pk__in=remove_attachment_ids).count() if homework else 0
    check_attachments(files, kept, rules)
    if not text and not files and not kept:
        raise ValidationError(_("Введите текст задания или приложите файл."), code="empty")
    due_date = due_date or next_lesson_date(lesson) or lesson.date + dt.timedelta(days=7)
    if due_date <= lesson.date:
        raise ValidationError(
            _("Срок выполнения задания должен быть позже даты урока (%(date)s).") % {"date": ru_date(lesson.date)}
        )
    term = term_of(lesson)
    with transaction.atomic():
        admission = admit(
            actor=actor, kind=CorrectionKind.HOMEWORK, term=term, school_class_id=lesson.school_class_id,
            deadline=lesson.date + dt.timedelta(days=rules.homework_grace_days),
            proposal=homework_proposal(text=text), correction=correction, lesson=lesson,
        )  # fmt: skip
        changes, homework, created = _save_homework(lesson, homework, text, due_date, actor)
        for removed in HomeworkAttachment.objects.filter(homework=homework, pk__in=remove_attachment_ids):
            changes[f"file:{removed.pk}"] = (removed.original_name, None)
            removed.file.delete(save=False)
            removed.delete()
        for file in files:
            saved = _attach(homework, file, actor)
            changes[f"file:{saved.pk}"] = (None, saved.original_name)
        if changes:
            record_changes(
                actor=actor, school_id=lesson.school_id, entity="homework", entity_id=homework.pk,
                action="create" if created else "update",
                changes=changes, admission=admission, lesson_id=lesson.pk,
            )  # fmt: skip
    return homework


def _save_homework(
    lesson: Lesson, homework: Homework | None, text: str, due_date: dt.date, actor: Actor
) -> tuple[dict[str, tuple[Any, Any]], Homework, bool]:
    if homework is None:
        homework = Homework.objects.create(
            school_id=lesson.school_id,
            lesson=lesson,
            school_class_id=lesson.school_class_id,
            text=text,
            due_date=due_date,
            created_by_id=actor.user_id_required,
        )
        return {"text": (None, text), "due_date": (None, due_date)}, homework, True
    homework = Homework.objects.select_for_update().get(pk=homework.pk)
    changes: dict[str, tuple[Any, Any]] = {}
    if homework.text != text:
        changes["text"] = (homework.text, text)
    if homework.due_date != due_date:
        changes["due_date"] = (homework.due_date, due_date)
    homework.text, homework.due_date = text, due_date
    homework.save()
    return changes, homework, False


def _attach(homework: Homework, file: UploadedFile, actor: Actor) -> HomeworkAttachment:
    attachment = HomeworkAttachment(
        school_id=homework.school_id, homework=homework, token=secrets.token_hex(16),
        original_name=PurePath(file.name or "").name[:255], size=file.size or 0,
        content_type=(getattr(file, "content_type", "") or "")[:100], uploaded_by_id=actor.user_id_required,
    )  # fmt: skip
    attachment.file.save(attachment.token, file, save=False)
    attachment.save()
    return attachment
