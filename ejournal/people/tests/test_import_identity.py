"""Identity is never decided by a folded name: look-alike rows are a question for the coordinator.

«Ёлкина Алёна Фёдоровна» and «Елкина Алена Федоровна», born the same day in the
same class, are two children unless the coordinator says otherwise; a guardian is
linked only to the child on their own row; the report's counts add up to the file's rows.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from ejournal.access.roles import Role
from ejournal.core.models import ImportJob
from ejournal.people.models import GuardianLink, Student

from .test_import import STUDENT_HEADER, csv_bytes, errors_of, run, xlsx_bytes

FAMILY_HEADER = [
    *STUDENT_HEADER,
    "Фамилия родителя",
    "Имя родителя",
    "Отчество родителя",
    "Телефон родителя",
    "E-mail родителя",
    "Кем приходится",
]
BORN = "14.03.2015"
OTHERS = [
    [["Гусев", "Антон", "Ильич", "01.02.2015", "м", "5А", ""], ["Гусева", "Ольга", "", "89180000011", "", "мать"]],
    [["Лосева", "Инна", "", "02.02.2015", "ж", "5А", ""], ["Лосев", "Олег", "", "89180000012", "", "отец"]],
    [["Зуев", "Роман", "", "03.02.2015", "м", "5А", ""], ["Зуева", "Нина", "", "89180000013", "", "мать"]],
    [["Котова", "Яна", "", "04.02.2015", "ж", "5Б", ""], ["Котов", "Иван", "", "89180000014", "", "отец"]],
    [["Мухин", "Лев", "", "05.02.2015", "м", "5Б", ""], ["Мухина", "Ева", "", "89180000015", "", "мать"]],
    [["Носова", "Ада", "", "06.02.2015", "ж", "5Б", ""], ["Носов", "Ян", "", "89180000016", "", "отец"]],
    [["Пашин", "Юрий", "", "07.02.2015", "м", "5А", ""], ["Пашина", "Ия", "", "89180000017", "", "мать"]],
    [["Рыбин", "Эрик", "", "08.02.2015", "м", "5А", ""], ["Рыбина", "Ада", "", "89180000018", "", "мать"]],
]
ALYONA = ["Ёлкина", "Алёна", "Фёдоровна", BORN, "ж", "5А", ""]
ALENA = ["Елкина", "Алена", "Федоровна", BORN, "ж", "5А", ""]
MOTHER = ["Ёлкина", "Мария", "Ивановна", "89180000001", "", "мать"]
FATHER = ["Смирнов", "Фёдор", "Петрович", "89180000002", "", "отец"]


@pytest.fixture(autouse=True)
def _sync_tasks(settings, tmp_path):
    settings.TASK_RUNNER = "sync"
    settings.MEDIA_ROOT = tmp_path


def family_rows(*, twins: tuple[str, str] | None = None) -> list[list[str]]:
    """Ten rows: eight children with a parent each, then Ёлкина with her mother and Елкина with her father."""
    header = [*FAMILY_HEADER, "Близнецы"] if twins else FAMILY_HEADER
    marks = twins or ("", "")
    rows = [[*child, *parent, *([""] if twins else [])] for child, parent in OTHERS]
    rows.append([*ALYONA, *MOTHER, *([marks[0]] if twins else [])])
    rows.append([*ALENA, *FATHER, *([marks[1]] if twins else [])])
    return [header, *rows]


def school_students(world):
    return Student.objects.filter(school=world.school)


def counted(job: ImportJob, entity: str) -> int:
    return sum(job.report["counts"][entity].values())


def test_ye_and_yo_look_alikes_on_one_sheet_are_a_conflict_and_nothing_is_saved(world):
    before = school_students(world).count()
    job = run(world, "students_guardians", "family.xlsx", xlsx_bytes(family_rows()))
    assert job.status == ImportJob.Status.FAILED, job.report
    assert errors_of(job) == [
        (
            11,
            "Фамилия",
            "Похоже на обучающегося из строки 10 (Ёлкина Алёна Фёдоровна): ФИО отличается только буквами ё/е "
            "или заглавными буквами, дата рождения та же. Если это один ребёнок — напишите ФИО одинаково; если "
            "разные дети (например, близнецы) — поставьте «да» в столбце «Близнецы» в обеих строках.",
        )
    ]
    assert school_students(world).count() == before
    assert not GuardianLink.objects.filter(guardian__last_name__in=["Ёлкина", "Смирнов"]).exists()


def test_marked_twins_are_two_children_each_linked_only_to_the_guardian_of_their_own_row(world):
    job = run(world, "students_guardians", "family.xlsx", xlsx_bytes(family_rows(twins=("да", "да"))))
    assert job.status == ImportJob.Status.DONE, job.report
    assert job.report["counts"]["students"]["created"] == 10 == job.total_rows
    alyona = Student.objects.get(last_name="Ёлкина", first_name="Алёна")
    alena = Student.objects.get(last_name="Елкина", first_name="Алена")
    assert alyona.pk != alena.pk and alyona.birth_date == alena.birth_date == dt.date(2015, 3, 14)
    assert set(GuardianLink.objects.filter(student=alena).values_list("guardian__last_name", flat=True)) == {"Смирнов"}
    assert set(GuardianLink.objects.filter(student=alyona).values_list("guardian__last_name", flat=True)) == {"Ёлкина"}


def test_a_twins_mark_on_one_row_only_is_not_enough(world):
    job = run(world, "students_guardians", "family.xlsx", xlsx_bytes(family_rows(twins=("", "да"))))
    assert job.status == ImportJob.Status.FAILED
    assert [(r, c) for r, c, _m in errors_of(job)] == [(11, "Фамилия")]


def test_look_alikes_on_the_students_sheet_are_a_conflict_unless_marked(world):
    rows = [STUDENT_HEADER, ALYONA, ALENA]
    job = run(world, "students", "s.csv", csv_bytes(rows))
    assert [(r, c) for r, c, _m in errors_of(job)] == [(3, "Фамилия")]
    assert "Похоже на обучающегося из строки 2" in errors_of(job)[0][2]
    marked = [[*STUDENT_HEADER, "Близнецы"], [*ALYONA, "да"], [*ALENA, "да"]]
    job = run(world, "students", "s.csv", csv_bytes(marked))
    assert job.status == ImportJob.Status.DONE, job.report
    assert job.report["counts"]["students"] == {"created": 2, "updated": 0, "unchanged": 0}


def test_look_alikes_with_two_different_record_numbers_are_two_children(world):
    rows = [STUDENT_HEADER, [*ALYONA[:6], "E-1"], [*ALENA[:6], "E-2"]]
    job = run(world, "students", "s.csv", csv_bytes(rows))
    assert job.status == ImportJob.Status.DONE, job.report
    assert job.report["counts"]["students"]["created"] == 2


def test_the_reports_counts_add_up_to_the_files_rows_when_a_child_repeats_for_a_second_guardian(world, login_as):
    rows = family_rows(twins=("да", "да"))
    rows.append([*ALENA, "Елкина", "Вера", "", "89180000003", "", "мать", "да"])
    job = run(world, "students_guardians", "family.xlsx", xlsx_bytes(rows))
    assert job.status == ImportJob.Status.DONE, job.report
    assert job.total_rows == 11
    assert counted(job, "students") + job.report["repeated_rows"] == job.total_rows
    assert counted(job, "links") == job.total_rows
    page = login_as(world.coordinator, Role.JOURNAL_COORDINATOR).get(
        reverse("people:import_job", kwargs={"pk": job.pk})
    )
    html = page.content.decode()
    assert "Строк обработано: 11." in html and "<td>Обучающиеся</td><td>10</td>" in html
    assert "второй родитель того же ребёнка): 1." in html


# --- matching the database's students -------------------------------------------------------


def test_a_look_alike_of_a_student_already_in_the_school_is_a_conflict_not_a_rename(world):
    run(world, "students", "s.csv", csv_bytes([STUDENT_HEADER, ALYONA]))
    alyona = Student.objects.get(last_name="Ёлкина")
    job = run(world, "students", "s.csv", csv_bytes([STUDENT_HEADER, ALENA]))
    assert job.status == ImportJob.Status.FAILED
    [(row, column, message)] = errors_of(job)
    assert (row, column) == (2, "Фамилия")
    assert message.startswith("В школе уже есть обучающийся Ёлкина Алёна Фёдоровна (5А) с той же датой рождения")
    alyona.refresh_from_db()
    assert (alyona.last_name, alyona.first_name) == ("Ёлкина", "Алёна")


def test_a_marked_look_alike_of_a_student_in_the_school_is_a_new_child(world):
    run(world, "students", "s.csv", csv_bytes([STUDENT_HEADER, ALYONA]))
    job = run(world, "students", "s.csv", csv_bytes([[*STUDENT_HEADER, "Близнецы"], [*ALENA, "да"]]))
    assert job.report["counts"]["students"] == {"created": 1, "updated": 0, "unchanged": 0}, job.report
    assert school_students(world).filter(birth_date=dt.date(2015, 3, 14)).count() == 2


def test_the_exact_name_and_birth_date_still_find_the_student_in_the_school(world):
    run(world, "students", "s.csv", csv_bytes([STUDENT_HEADER, ALYONA]))
    job = run(world, "students", "s.csv", csv_bytes([STUDENT_HEADER, [*ALYONA[:5], "5Б", ""]]))
    assert job.report["counts"]["students"] == {"created": 0, "updated": 1, "unchanged": 0}, job.report
    assert Student.objects.get(last_name="Ёлкина").school_class == world.other_cls


def test_two_students_in_the_school_with_the_same_exact_name_and_birth_date_are_ambiguous(world):
    for _n in range(2):
        Student.objects.create(
            school=world.school, school_class=world.cls, last_name="Ёлкина", first_name="Алёна",
            middle_name="Фёдоровна", birth_date=dt.date(2015, 3, 14),
        )  # fmt: skip
    job = run(world, "students", "s.csv", csv_bytes([STUDENT_HEADER, ALYONA]))
    assert job.status == ImportJob.Status.FAILED
    assert "В школе несколько обучающихся Ёлкина Алёна Фёдоровна" in errors_of(job)[0][2]


@pytest.mark.parametrize(
    ("child", "expected"), [("Елкина Алена Федоровна", "Елкина"), ("Ёлкина Алёна Фёдоровна", "Ёлкина")]
)
def test_a_guardians_child_named_by_name_and_class_is_the_exact_one(world, child, expected):
    rows = [[*STUDENT_HEADER, "Близнецы"], [*ALYONA, "да"], [*ALENA, "да"]]
    run(world, "students", "s.csv", csv_bytes(rows))
    header = ["Фамилия", "Имя", "Телефон", "ФИО ребёнка", "Класс ребёнка", "Кем приходится"]
    job = run(
        world, "guardians", "g.csv", csv_bytes([header, ["Смирнов", "Фёдор", "89180000002", child, "5А", "отец"]])
    )
    assert job.status == ImportJob.Status.DONE, job.report
    assert list(
        GuardianLink.objects.filter(guardian__last_name="Смирнов").values_list("student__last_name", flat=True)
    ) == [expected]


def test_a_guardians_child_named_only_alike_is_not_linked(world):
    run(world, "students", "s.csv", csv_bytes([STUDENT_HEADER, ALYONA]))
    header = ["Фамилия", "Имя", "Телефон", "ФИО ребёнка", "Класс ребёнка", "Кем приходится"]
    job = run(
        world,
        "guardians",
        "g.csv",
        csv_bytes([header, ["Смирнов", "Фёдор", "89180000002", "Елкина Алена Федоровна", "5А", "отец"]]),
    )
    assert job.status == ImportJob.Status.FAILED
    assert "Обучающийся Елкина Алена Федоровна в классе 5А не найден" in errors_of(job)[0][2]
    assert "похожий: Ёлкина Алёна Фёдоровна" in errors_of(job)[0][2]
