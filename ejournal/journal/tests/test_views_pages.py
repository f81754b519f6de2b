"""The other journal pages: the lesson panel, homework files, plans, term closing, absence reasons, the overview."""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ejournal.access.roles import Role

from ..models import Attendance, HomeworkAttachment, PlannedTopic, TermClosure
from .helpers import MON, at, journal


def test_the_keeper_writes_topic_and_homework_with_a_file_and_only_readers_download_it(world, login_as, settings,
                                                                                     tmp_path):  # fmt: skip
    settings.MEDIA_ROOT = tmp_path
    _a, (day,) = journal(world)
    client = login_as(world.teacher, Role.CLASS_TEACHER)
    with at(MON):
        topic = client.post(reverse("journal:lesson_topic", kwargs={"lesson_id": day.pk}),
                            {"topic": "Дроби", "is_control_work": "on"})  # fmt: skip
        upload = SimpleUploadedFile("задание.pdf", b"%PDF-1.4", content_type="application/pdf")
        homework = client.post(reverse("journal:lesson_homework", kwargs={"lesson_id": day.pk}),
                               {"text": "§ 3", "files": [upload]})  # fmt: skip
        refused = client.post(reverse("journal:lesson_homework", kwargs={"lesson_id": day.pk}),
                              {"text": "", "files": [SimpleUploadedFile("x.exe", b"MZ")]})  # fmt: skip
    assert topic.status_code == 200 and "Тема урока сохранена." in topic.content.decode()
    assert 'id="lh-' in topic.content.decode() and 'hx-swap-oob="true"' in topic.content.decode()
    assert homework.status_code == 200, homework.content.decode()
    assert refused.status_code == 400 and "такой тип не принимается" in refused.content.decode()
    file_url = reverse("journal:attachment", kwargs={"pk": HomeworkAttachment.objects.get().pk})
    download = client.get(file_url)
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"%PDF-1.4"
    assert "attachment" in download["Content-Disposition"]
    assert login_as(world.other_teacher).get(file_url).status_code == 403
    assert login_as(world.guardian_user).get(file_url).status_code == 403


def test_another_teacher_cannot_write_the_topic(world, login_as):
    _a, (day,) = journal(world)
    with at(MON):
        response = login_as(world.other_teacher).post(reverse("journal:lesson_topic", kwargs={"lesson_id": day.pk}),
                                                      {"topic": "Чужая тема"})  # fmt: skip
    assert response.status_code == 403


def test_a_plan_is_pasted_reordered_and_compared_with_the_lessons(world, login_as):
    a, _days = journal(world)
    client = login_as(world.teacher, Role.CLASS_TEACHER)
    url = reverse("journal:plan", kwargs={"assignment_id": a.pk})
    assert client.post(url, {"text": "Натуральные числа; 2\nДроби; x"}).status_code == 400
    assert client.post(url, {"text": "Натуральные числа; 2\nДроби"}).status_code == 302
    second = PlannedTopic.objects.get(title="Дроби")
    move = reverse("journal:plan_move", kwargs={"assignment_id": a.pk, "topic_id": second.pk})
    assert client.post(move, {"direction": "up"}).status_code == 302
    assert list(PlannedTopic.objects.order_by("position").values_list("title", flat=True)) == [
        "Дроби", "Натуральные числа",
    ]  # fmt: skip
    html = client.get(url).content.decode()
    assert "часов в планировании" in html and "Дроби" in html


def test_the_deputy_head_closes_and_reopens_a_term_and_a_teacher_cannot(world, login_as):
    term = world.school.terms.get(number=1)
    deputy = login_as(world.deputy_head, Role.DEPUTY_HEAD)
    close = reverse("journal:term_close", kwargs={"term_id": term.pk})
    with at(term.ends_on + dt.timedelta(days=1)):
        assert deputy.post(close, {"school_class": world.cls.pk, "confirmed": "yes"}).status_code == 302
    closure = TermClosure.objects.get()
    assert closure.school_class == world.cls
    assert "🔒" in deputy.get(reverse("journal:terms")).content.decode()
    reopen = reverse("journal:term_reopen", kwargs={"pk": closure.pk})
    deputy.post(reopen, {"reason": ""})
    assert TermClosure.objects.exists()  # a reason is required
    deputy.post(reopen, {"reason": "Ошибка в отметке за четверть"})
    assert not TermClosure.objects.exists()
    assert login_as(world.teacher, Role.CLASS_TEACHER).post(close, {}).status_code == 403


def test_the_class_teacher_sets_reasons_for_absences(world, login_as):
    _a, (day,) = journal(world)
    Attendance.objects.create(
        school=world.school, lesson=day, student=world.student, code="н", created_by=world.teacher
    )
    client = login_as(world.teacher, Role.CLASS_TEACHER)
    url = reverse("journal:absence_reasons", kwargs={"class_id": world.cls.pk})
    assert client.get(url).status_code == 200
    data = {"students": [world.student.pk], "date_from": "2026-09-01", "date_to": "2026-09-30", "code": "б",
            "note": "Справка № 12"}  # fmt: skip
    with at(MON + dt.timedelta(days=3)):
        response = client.post(url, data)
    assert response.status_code == 302
    assert Attendance.objects.get().code == "б"
    assert login_as(world.other_teacher).get(url).status_code == 403


def test_the_class_overview_shows_subjects_and_absences(world, login_as):
    _a, (day,) = journal(world)
    Attendance.objects.create(
        school=world.school, lesson=day, student=world.student, code="н", created_by=world.teacher
    )
    term = world.school.terms.get(number=1)
    url = reverse("journal:class_overview", kwargs={"class_id": world.cls.pk, "term_id": term.pk})
    html = login_as(world.teacher, Role.CLASS_TEACHER).get(url).content.decode()
    assert "Матем" in html and "Орлов Максим Андреевич" in html
    assert login_as(world.other_teacher).get(url).status_code == 403
