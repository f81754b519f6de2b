"""Roster import end to end: students, classes, guardians, staff; all or nothing; idempotent."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ejournal.access.policy import Actor
from ejournal.access.roles import Role
from ejournal.accounts.models import User
from ejournal.core.models import AuditEvent, ImportJob
from ejournal.core.spreadsheet import workbook_new
from ejournal.people.imports.service import roster_import_start
from ejournal.people.models import Enrolment, Guardian, GuardianLink, RoleAssignment, Student
from ejournal.schools.models import SchoolClass

STUDENT_HEADER = ["Фамилия", "Имя", "Отчество", "Дата рождения", "Пол", "Класс", "Номер личного дела"]
STUDENTS = [
    ["Егоров", "Илья", "Павлович", "05.04.2015", "м", "5А", "N-1"],
    ["Егорова", "Вера", "Павловна", "17.01.2015", "ж", "5 Б", "N-2"],
    ["Титов", "Лев", "", "30.12.2014", "М", "5-а", ""],
]


@pytest.fixture(autouse=True)
def _sync_tasks(settings, tmp_path):
    settings.TASK_RUNNER = "sync"
    settings.MEDIA_ROOT = tmp_path


def xlsx_bytes(rows) -> bytes:
    book, sheet = workbook_new()
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_bytes(rows, *, encoding="utf-8-sig", delimiter=";") -> bytes:
    return "\r\n".join(delimiter.join(row) for row in rows).encode(encoding)


def run(world, kind: str, name: str, data: bytes) -> ImportJob:
    actor = Actor(user_id=world.coordinator.pk, role=Role.JOURNAL_COORDINATOR, school_id=world.school.pk)
    job = roster_import_start(school_id=world.school.pk, kind=kind, upload=SimpleUploadedFile(name, data), actor=actor)
    job.refresh_from_db()
    return job


def errors_of(job: ImportJob) -> list[tuple]:
    return [(e["row"], e["column"], e["message"]) for e in job.report.get("errors", [])]


def students_of(world):
    return Student.objects.filter(school=world.school).count()


# --- students -----------------------------------------------------------------------


def test_students_import_creates_enrolled_students_and_the_second_run_changes_nothing(world):
    before = students_of(world)
    job = run(world, "students", "students.xlsx", xlsx_bytes([STUDENT_HEADER, *STUDENTS]))
    assert job.status == ImportJob.Status.DONE, job.report
    assert job.report["counts"]["students"] == {"created": 3, "updated": 0, "unchanged": 0}
    assert students_of(world) == before + 3
    ilya = Student.objects.get(record_number="N-1")
    assert (ilya.school_class, ilya.birth_date, ilya.gender) == (world.cls, dt.date(2015, 4, 5), "m")
    assert Student.objects.get(last_name="Титов").school_class == world.cls
    enrolment = Enrolment.objects.get(student=ilya)
    assert enrolment.start_reason == Enrolment.Reason.ADMISSION and enrolment.ends_on is None
    assert AuditEvent.objects.filter(action="roster_imported", school_id=world.school.pk).count() == 1

    again = run(world, "students", "students.xlsx", xlsx_bytes([STUDENT_HEADER, *STUDENTS]))
    assert again.report["counts"]["students"] == {"created": 0, "updated": 0, "unchanged": 3}
    assert students_of(world) == before + 3
    assert Enrolment.objects.filter(student__school=world.school).count() == before + 3


def test_reimport_updates_changed_fields_and_moves_a_student_to_another_class(world):
    run(world, "students", "s.csv", csv_bytes([STUDENT_HEADER, *STUDENTS]))
    changed = [["Егоров", "Илья", "Павлович", "05.04.2015", "м", "5Б", "N-1"]]
    job = run(world, "students", "s.csv", csv_bytes([STUDENT_HEADER, *changed]))
    assert job.report["counts"]["students"] == {"created": 0, "updated": 1, "unchanged": 0}
    ilya = Student.objects.get(record_number="N-1")
    assert ilya.school_class == world.other_cls
    assert Enrolment.objects.get(student=ilya, ends_on__isnull=True).school_class == world.other_cls


def test_existing_students_are_matched_by_record_number_or_name_and_birth_date(world):
    rows = [
        ["Орлов", "Максим", "Андреевич", "01.03.2015", "", "5А", "A-1"],
        ["Белова", "Дарья", "Игоревна", "01.03.2015", "", "5А", ""],
    ]
    job = run(world, "students", "s.csv", csv_bytes([STUDENT_HEADER, *rows]))
    assert job.report["counts"]["students"] == {"created": 0, "updated": 0, "unchanged": 2}


def test_one_bad_row_among_good_ones_saves_nothing_and_names_row_and_column(world):
    before = students_of(world)
    rows = [*STUDENTS, ["Сидоров", "Иван", "", "31.02.2015", "м", "5А", "N-9"]]
    job = run(world, "students", "s.xlsx", xlsx_bytes([STUDENT_HEADER, *rows]))
    assert job.status == ImportJob.Status.FAILED
    assert errors_of(job) == [
        (5, "Дата рождения", "«31.02.2015» — не дата; ожидается ДД.ММ.ГГГГ, например 01.09.2015.")
    ]
    assert students_of(world) == before
    assert not AuditEvent.objects.filter(action="roster_imported").exists()


def test_all_row_errors_are_collected_at_once(world):
    rows = [
        ["", "Илья", "", "05.04.2015", "м", "5А", ""],
        ["Петров", "Иван", "", "вчера", "x", "5Д", ""],
        ["Петров", "Иван", "", "01.01.2015", "м", "12А", ""],
    ]
    job = run(world, "students", "s.csv", csv_bytes([STUDENT_HEADER, *rows]))
    found = {(row, column) for row, column, _message in errors_of(job)}
    assert found == {(2, "Фамилия"), (3, "Дата рождения"), (3, "Пол"), (4, "Класс")}


def test_unknown_class_is_refused(world):
    job = run(
        world, "students", "s.csv", csv_bytes([STUDENT_HEADER, ["Петров", "Иван", "", "01.01.2015", "", "7В", ""]])
    )
    assert "Класс 7В не найден" in errors_of(job)[0][2]


def test_duplicate_student_within_the_file_is_refused(world):
    rows = [STUDENTS[0], ["Егоров", "Илья", "Павлович", "05.04.2015", "м", "5А", "N-1"]]
    job = run(world, "students", "s.csv", csv_bytes([STUDENT_HEADER, *rows]))
    assert errors_of(job) == [(3, "Номер личного дела", "Повтор: этот обучающийся уже есть в строке 2.")]


def test_record_number_of_another_student_in_the_database_is_refused(world):
    rows = [["Новиков", "Глеб", "", "09.09.2015", "м", "5А", "A-1"]]
    job = run(world, "students", "s.csv", csv_bytes([STUDENT_HEADER, *rows]))
    assert job.status == ImportJob.Status.FAILED
    assert "уже принадлежит обучающемуся Орлов Максим Андреевич" in errors_of(job)[0][2]


def test_formula_looking_cells_are_stored_as_text(world):
    rows = [['=HYPERLINK("x")', "+Илья", "@SUM(A1)", "05.04.2015", "", "5А", "-5"]]
    job = run(world, "students", "s.xlsx", xlsx_bytes([STUDENT_HEADER, *rows]))
    assert job.status == ImportJob.Status.DONE, job.report
    student = Student.objects.get(record_number="-5")
    assert (student.last_name, student.first_name, student.middle_name) == ('=HYPERLINK("x")', "+Илья", "@SUM(A1)")


# --- classes ------------------------------------------------------------------------


def test_classes_import_finds_class_teachers_by_login_or_name_and_is_idempotent(world):
    rows = [
        ["Параллель", "Литера", "Классный руководитель", "Смена"],
        ["6", "а", "teacher", "2"],
        ["7", "B", "Волков Игорь Николаевич", ""],
    ]
    job = run(world, "classes", "c.csv", csv_bytes(rows))
    assert job.report["counts"]["classes"] == {"created": 2, "updated": 0, "unchanged": 0}, job.report
    six = SchoolClass.objects.get(school=world.school, grade=6, letter="А")
    assert (six.class_teacher, six.shift, six.year) == (world.teacher, 2, world.year)
    assert SchoolClass.objects.get(school=world.school, grade=7, letter="В").class_teacher == world.other_teacher
    again = run(world, "classes", "c.csv", csv_bytes(rows))
    assert again.report["counts"]["classes"] == {"created": 0, "updated": 0, "unchanged": 2}


def test_classes_outside_grades_1_to_11_and_unknown_teachers_are_refused(world):
    rows = [
        ["Класс", "Классный руководитель"],
        ["12А", ""],
        ["0Б", ""],
        ["5В", "Неизвестный Сотрудник"],
        ["5Г", "teacher3"],
    ]
    job = run(world, "classes", "c.csv", csv_bytes(rows))
    messages = [m for _r, _c, m in errors_of(job)]
    assert messages[0] == "Параллель — число от 1 до 11, а не «12»."
    assert len(messages) == 4  # teacher3 works in another school
    assert not SchoolClass.objects.filter(school=world.school, letter__in=["В", "Г"]).exists()


# --- guardians ----------------------------------------------------------------------

GUARDIAN_HEADER = [
    "Фамилия",
    "Имя",
    "Отчество",
    "Телефон",
    "E-mail",
    "Номер личного дела ребёнка",
    "ФИО ребёнка",
    "Класс ребёнка",
    "Кем приходится",
]


def test_guardians_are_linked_by_record_number_or_name_and_class_without_duplicates(world):
    rows = [
        GUARDIAN_HEADER,
        ["Белова", "Ирина", "Олеговна", "8 (918) 111-22-33", "", "A-2", "", "", "мать"],
        ["Белов", "Игорь", "", "", "belov@example.ru", "", "Белова Дарья Игоревна", "5А", "Отец"],
        ["Белова", "Ирина", "Олеговна", "+79181112233", "", "A-3", "", "", "опекун"],
    ]
    job = run(world, "guardians", "g.csv", csv_bytes(rows))
    assert job.status == ImportJob.Status.DONE, job.report
    assert job.report["counts"]["guardians"] == {"created": 2, "updated": 0, "unchanged": 0}
    assert job.report["counts"]["links"] == {"created": 3, "updated": 0, "unchanged": 0}
    irina = Guardian.objects.get(last_name="Белова")
    assert irina.phone == "+79181112233"
    assert set(irina.links.values_list("student__record_number", flat=True)) == {"A-2", "A-3"}
    again = run(world, "guardians", "g.csv", csv_bytes(rows))
    assert again.report["counts"]["guardians"] == {"created": 0, "updated": 0, "unchanged": 2}
    assert again.report["counts"]["links"] == {"created": 0, "updated": 0, "unchanged": 3}
    assert GuardianLink.objects.filter(school=world.school).count() == 2 + 3


def test_guardian_rows_with_unknown_child_or_no_contact_are_refused(world):
    rows = [
        GUARDIAN_HEADER,
        ["Белова", "Ирина", "", "", "", "A-2", "", "", "мать"],
        ["Белова", "Ирина", "", "89181112233", "", "Z-9", "", "", "мать"],
        ["Белова", "Ирина", "", "89181112233", "", "B-1", "", "", "тётя"],
    ]
    job = run(world, "guardians", "g.csv", csv_bytes(rows))
    assert [(r, c) for r, c, _m in errors_of(job)] == [
        (2, "Телефон"),
        (3, "Номер личного дела ребёнка"),
        (4, "Номер личного дела ребёнка"),  # B-1 is a student of another school
        (4, "Кем приходится"),
    ]
    assert not Guardian.objects.filter(last_name="Белова").exists()


def test_students_with_guardians_sheet_creates_both_once(world):
    header = [
        *STUDENT_HEADER,
        "Фамилия родителя",
        "Имя родителя",
        "Отчество родителя",
        "Телефон родителя",
        "E-mail родителя",
        "Кем приходится",
    ]
    rows = [
        header,
        [*STUDENTS[0], "Егорова", "Анна", "", "89180000001", "", "мать"],
        [*STUDENTS[0], "Егоров", "Павел", "", "89180000002", "", "отец"],
        [*STUDENTS[1], "Егорова", "Анна", "", "89180000001", "", "мать"],
        [*STUDENTS[2], "", "", "", "", "", ""],
    ]
    job = run(world, "students_guardians", "f.xlsx", xlsx_bytes(rows))
    assert job.status == ImportJob.Status.DONE, job.report
    counts = job.report["counts"]
    assert (counts["students"]["created"], counts["guardians"]["created"], counts["links"]["created"]) == (3, 2, 3)
    again = run(world, "students_guardians", "f.xlsx", xlsx_bytes(rows))
    counts = again.report["counts"]
    assert (counts["students"]["unchanged"], counts["guardians"]["unchanged"], counts["links"]["unchanged"]) == (
        3,
        2,
        3,
    )


# --- staff --------------------------------------------------------------------------


def test_staff_import_creates_accounts_without_password_and_appointments_once(world):
    rows = [
        ["ФИО", "Должность", "Роль", "E-mail", "Телефон"],
        ["Попова Елена Сергеевна", "учитель алгебры", "учитель", "", ""],
        ["Жукова Нина Петровна", "учитель химии", "Учитель", "zhukova@example.ru", "8 918 000 11 22"],
        ["Жуков Никита", "завуч", "заместитель директора", "", ""],
    ]
    job = run(world, "staff", "staff.xlsx", xlsx_bytes(rows))
    assert job.status == ImportJob.Status.DONE, job.report
    assert job.report["counts"]["staff"] == {"created": 2, "updated": 0, "unchanged": 1}
    assert job.report["counts"]["appointments"] == {"created": 2, "updated": 1, "unchanged": 0}
    nina = User.objects.get(last_name="Жукова")
    assert not nina.has_usable_password()
    assert (nina.username, nina.phone) == ("zhukova.np", "+79180001122")
    assert RoleAssignment.objects.get(user=nina).school == world.school
    assert RoleAssignment.objects.get(user=world.teacher, role=Role.TEACHER).position == "учитель алгебры"
    again = run(world, "staff", "staff.xlsx", xlsx_bytes(rows))
    assert again.report["counts"]["staff"] == {"created": 0, "updated": 0, "unchanged": 3}
    assert again.report["counts"]["appointments"] == {"created": 0, "updated": 0, "unchanged": 3}


# --- pages and permissions ----------------------------------------------------------


def upload(client, kind: str, name: str, data: bytes):
    return client.post(reverse("people:import_list"), {"kind": kind, "file": SimpleUploadedFile(name, data)})


def test_coordinator_uploads_and_follows_the_job_to_its_report(world, login_as, settings):
    client = login_as(world.coordinator, Role.JOURNAL_COORDINATOR)
    response = upload(client, "students", "students.csv", csv_bytes([STUDENT_HEADER, *STUDENTS]))
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("people:import_job", kwargs={"pk": job.pk})
    page = client.get(response["Location"]).content.decode()
    assert "Загружено." in page and "every 1s" not in page
    assert not list((settings.MEDIA_ROOT / "imports").iterdir()), "the uploaded file is deleted after the run"


def test_running_job_polls_its_progress_partial(world, login_as):
    job = ImportJob.objects.create(
        school_id=world.school.pk, kind="students", created_by=world.coordinator, file_name="s.xlsx",
        status=ImportJob.Status.RUNNING, total_rows=200, processed_rows=50,
    )  # fmt: skip
    client = login_as(world.director, Role.DIRECTOR)
    html = client.get(reverse("people:import_job_progress", kwargs={"pk": job.pk})).content.decode()
    assert 'hx-trigger="every 1s"' in html and 'value="25"' in html and "50 из 200" in html


@pytest.mark.parametrize("persona", ["teacher", "guardian_user", "foreign_coordinator"])
def test_teacher_guardian_and_foreign_coordinator_cannot_upload(world, login_as, persona):
    user = getattr(world, persona)
    client = login_as(user)
    response = upload(client, "students", "s.csv", csv_bytes([STUDENT_HEADER, *STUDENTS]))
    assert response.status_code in (403, 302)
    assert not ImportJob.objects.filter(school_id=world.school.pk).exists()


def test_foreign_coordinator_gets_404_on_our_job(world, login_as):
    job = ImportJob.objects.create(
        school_id=world.school.pk, kind="students", created_by=world.coordinator, file_name="x.csv"
    )
    client = login_as(world.foreign_coordinator, Role.JOURNAL_COORDINATOR)
    assert client.get(reverse("people:import_job", kwargs={"pk": job.pk})).status_code == 404
    assert client.get(reverse("people:import_job_progress", kwargs={"pk": job.pk})).status_code == 404


def test_import_list_shows_past_imports_in_constant_queries(world, login_as, django_assert_num_queries):
    client = login_as(world.coordinator, Role.JOURNAL_COORDINATOR)
    for n in range(3):
        ImportJob.objects.create(
            school_id=world.school.pk, kind="staff", created_by=world.coordinator, file_name=f"f{n}.csv"
        )
    ImportJob.objects.create(
        school_id=world.other_school.pk, kind="staff", created_by=world.foreign_coordinator, file_name="foreign.csv"
    )
    client.get(reverse("people:import_list"))  # warm the session and the actor
    with django_assert_num_queries(3):  # the user (session and roles cached), stale jobs looked up, the jobs
        html = client.get(reverse("people:import_list")).content.decode()
    assert "f2.csv" in html and "foreign.csv" not in html


def test_upload_form_refuses_files_too_big_or_of_another_type_before_parsing(world, login_as, settings):
    client = login_as(world.coordinator, Role.JOURNAL_COORDINATOR)
    junk = b"\x89junk" * (2 * 1024 * 1024)  # 10 MB
    response = upload(client, "students", "big.xlsx", junk)
    assert response.status_code == 400 and "Файл больше 5 МБ" in response.content.decode()
    response = upload(client, "students", "old.xls", b"whatever")
    assert response.status_code == 400 and "Поддерживаются только файлы .xlsx и .csv" in response.content.decode()
    response = upload(client, "students", "empty.csv", b"")
    assert response.status_code == 400 and "Файл пустой." in response.content.decode()
    assert not ImportJob.objects.exists()


def test_a_renamed_or_broken_xlsx_is_refused_with_a_clear_message(world):
    job = run(world, "students", "table.xlsx", "Фамилия;Имя\nИванов;Пётр".encode())
    assert job.report["file_error"].startswith("Файл не является книгой Excel")
    fake = io.BytesIO()
    with zipfile.ZipFile(fake, "w") as z:
        z.writestr("hello.txt", "not a workbook")
    job = run(world, "students", "table.xlsx", fake.getvalue())
    assert job.report["file_error"].startswith("Не удалось прочитать книгу Excel")


def test_rejected_file_report_lists_row_column_and_message_and_stops_polling(world, login_as):
    client = login_as(world.deputy_head, Role.DEPUTY_HEAD)
    rows = [STUDENT_HEADER, ["Петров", "Иван", "", "01.01.2015", "", "9Я", ""]]
    response = upload(client, "students", "bad.csv", csv_bytes(rows))
    html = client.get(response["Location"]).content.decode()
    assert "Файл отклонён, ничего не сохранено." in html and "Ошибок найдено: 1." in html
    assert "<td>2</td><td>Класс</td><td>Класс 9Я не найден" in html
    assert "hx-trigger" not in html
