"""Topic, homework with attachments, attendance and reasons: checks, and a change record for each change."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from ejournal.timetable.models import Lesson

from ..models import Attendance, ChangeRecord, Homework, HomeworkAttachment, LessonNote
from ..services import (
    ConflictError,
    attendance_clear,
    attendance_reasons_set,
    attendance_set,
    homework_set,
    lesson_topic_set,
    thematic_plan_import,
)
from .helpers import MON, at, class_teacher, journal, teacher

WED = MON + dt.timedelta(days=2)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_topic_control_flag_and_planned_topic_are_recorded(world):
    a, (day,) = journal(world)
    plan = thematic_plan_import(assignment=a, topics=[("Натуральные числа", 2)], actor=teacher(world))
    planned = plan.topics.get()
    with at(MON):
        lesson_topic_set(lesson=day, topic="  Натуральные   числа ", planned_topic=planned, is_control_work=True,
                         actor=teacher(world))  # fmt: skip
    assert Lesson.objects.get(pk=day.pk).topic == "Натуральные числа"
    note = LessonNote.objects.get(lesson=day)
    assert (note.is_control_work, note.planned_topic_id, note.school_id) == (True, planned.pk, world.school.pk)
    fields = set(ChangeRecord.objects.filter(entity="lesson").values_list("field", flat=True))
    assert fields == {"topic", "is_control_work", "planned_topic"}


def test_homework_is_due_at_the_next_lesson_and_its_files_are_kept(world):
    _a, (day, _wed) = journal(world, days=[MON, WED])
    pdf = SimpleUploadedFile("Задачи.pdf", b"%PDF-1.4 tasks", content_type="application/pdf")
    with at(MON, 20):
        homework = homework_set(lesson=day, text="№ 12, 14", files=[pdf], actor=teacher(world))
    assert (homework.due_date, homework.school_class_id) == (WED, day.school_class_id)  # the class: the diary's index
    attachment = HomeworkAttachment.objects.get()
    assert (attachment.original_name, attachment.size, attachment.school_id) == ("Задачи.pdf", 14, world.school.pk)
    assert attachment.file.read() == b"%PDF-1.4 tasks"
    fields = set(ChangeRecord.objects.filter(entity="homework").values_list("field", flat=True))
    assert fields == {"text", "due_date", f"file:{attachment.pk}"}


@pytest.mark.parametrize(
    ("name", "size", "message"),
    [("virus.exe", 10, "такой тип не принимается"), ("big.pdf", 11 * 1024 * 1024, "больше 10 МБ")],
)
def test_a_disallowed_or_oversized_attachment_is_refused_and_nothing_saved(world, name, size, message):
    _a, (day,) = journal(world)
    upload = SimpleUploadedFile(name, b"x" * size)
    with at(MON), pytest.raises(ValidationError, match=message):
        homework_set(lesson=day, text="Параграф 3", files=[upload], actor=teacher(world))
    assert not Homework.objects.exists()
    assert not HomeworkAttachment.objects.exists()
    assert not ChangeRecord.objects.exists()


def test_homework_published_after_the_lesson_day_is_late(world):
    _a, (day,) = journal(world)
    with at(MON + dt.timedelta(days=1), 0), pytest.raises(ValidationError, match="Срок внесения"):
        homework_set(lesson=day, text="Параграф 3", actor=teacher(world))
    assert not Homework.objects.exists()


def test_homework_saved_again_unchanged_writes_nothing_even_after_the_deadline(world):
    _a, (day, _wed) = journal(world, days=[MON, WED])
    friday = MON + dt.timedelta(days=4)
    with at(MON, 15):
        saved = homework_set(lesson=day, text="№ 12, 14", due_date=friday, actor=teacher(world))
    records = ChangeRecord.objects.count()
    with at(MON + dt.timedelta(days=2)):  # past the homework deadline: a change would need a correction
        again = homework_set(lesson=day, text="  № 12, 14 ", due_date=friday, actor=teacher(world))
    assert again.pk == saved.pk
    assert Homework.objects.get().updated_at == saved.updated_at
    assert ChangeRecord.objects.count() == records


def test_homework_saved_again_without_a_due_date_keeps_the_saved_one(world):
    _a, (day, _wed) = journal(world, days=[MON, WED])
    friday = MON + dt.timedelta(days=4)
    with at(MON, 15):
        homework_set(lesson=day, text="№ 12", due_date=friday, actor=teacher(world))
        homework_set(lesson=day, text="№ 12, 14", actor=teacher(world))
    assert Homework.objects.get().due_date == friday  # not reset to the next lesson (Wednesday)
    changed = list(ChangeRecord.objects.filter(action="update").values_list("field", "old", "new"))
    assert changed == [("text", "№ 12", "№ 12, 14")]


def test_attendance_set_change_clear_are_recorded_and_flag_the_lesson(world):
    _a, (day,) = journal(world)
    with at(MON):
        cell = attendance_set(lesson=day, student=world.student, code="н", actor=teacher(world))
        cell = attendance_set(lesson=day, student=world.student, code="оп", late_minutes=10, expected_version=1,
                              actor=teacher(world))  # fmt: skip
        with pytest.raises(ConflictError):
            attendance_set(lesson=day, student=world.student, code="н", expected_version=1, actor=teacher(world))
        with pytest.raises(ValidationError, match="в минутах"):
            attendance_set(lesson=day, student=world.classmate, code="оп", actor=teacher(world))
        attendance_clear(lesson=day, student=world.student, expected_version=cell.version, actor=teacher(world))
    assert not Attendance.objects.exists()
    assert Lesson.objects.get(pk=day.pk).has_records
    log = list(ChangeRecord.objects.filter(entity="attendance", field="attendance").values_list("old", "new"))
    assert log == [("", "н"), ("н", "оп"), ("оп", "")]


def test_the_class_teacher_gives_reasons_later_with_the_document(world):
    _a, (day, wed) = journal(world, days=[MON, WED], user=world.other_teacher)
    with at(MON):
        attendance_set(lesson=day, student=world.student, code="н", actor=teacher(world, world.other_teacher))
    with at(WED):
        attendance_set(lesson=wed, student=world.student, code="н", actor=teacher(world, world.other_teacher))
        attendance_set(lesson=wed, student=world.classmate, code="оп", late_minutes=5,
                       actor=teacher(world, world.other_teacher))  # fmt: skip
    with pytest.raises(ValidationError, match="документ"):
        attendance_reasons_set(students=[world.student], date_from=MON, date_to=WED, code="б", note=" ",
                               actor=class_teacher(world))  # fmt: skip
    with pytest.raises(ValidationError, match="классный руководитель"):
        attendance_reasons_set(students=[world.student], date_from=MON, date_to=WED, code="б", note="справка",
                               actor=teacher(world, world.other_teacher))  # fmt: skip
    changed = attendance_reasons_set(students=[world.student, world.classmate], date_from=MON, date_to=WED,
                                     code="б", note="справка № 15 от 10.09.2026", actor=class_teacher(world))  # fmt: skip
    assert changed == 2
    assert set(Attendance.objects.values_list("code", flat=True)) == {"б", "оп"}
    record = ChangeRecord.objects.filter(field="reason_note").first()
    assert (record.new, record.actor_role, record.reason) == ("справка № 15 от 10.09.2026", "class_teacher",
                                                              "справка № 15 от 10.09.2026")  # fmt: skip
