"""A small hand-made world for tests: two districts, two schools, every role.

Own objects belong to school A (district Западный); foreign ones to school B
(district Карасунский). Tests use `world` and `login` from `conftest.py`.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from django.test import Client

from ejournal.access.roles import Role
from ejournal.accounts.models import User
from ejournal.curriculum.catalogue import catalogue_ensure
from ejournal.people.models import Enrolment, Guardian, GuardianLink, RoleAssignment, Student
from ejournal.schools.models import AcademicYear, District, Municipality, School, SchoolClass, Subgroup, Term

PASSWORD = "Test-pass-2026!"  # noqa: S105 - test fixture


def make_user(username: str, last: str, first: str, middle: str = "", **extra) -> User:
    user = User(username=username, last_name=last, first_name=first, middle_name=middle, **extra)
    user.set_password(PASSWORD)
    user.save()
    return user


def appoint(user: User, role: str, *, school=None, district=None, municipality=None, position: str = ""):
    return RoleAssignment.objects.create(
        user=user, role=role, school=school, district=district, municipality=municipality, position=position
    )


def enrol(student: Student, cls: SchoolClass, starts_on: dt.date) -> Student:
    Enrolment.objects.create(
        school=cls.school,
        student=student,
        school_class=cls,
        starts_on=starts_on,
        start_reason=Enrolment.Reason.ADMISSION,
    )
    return student


def make_student(cls: SchoolClass, last: str, first: str, middle: str = "", *, user=None, record: str = "") -> Student:
    student = Student.objects.create(
        school=cls.school,
        school_class=cls,
        last_name=last,
        first_name=first,
        middle_name=middle,
        birth_date=dt.date(2015, 3, 1),
        record_number=record,
        user=user,
    )
    return enrol(student, cls, cls.year.starts_on)


def build_world() -> SimpleNamespace:
    """Build the world: the city and its two schools with their terms, every role, classes, students, families.

    The parts run in a fixed order: each uses what the earlier ones made.
    """
    # A transactional test (browser tests) flushes the database, and the subject catalogue
    # that a migration loaded goes with it: get it back.
    catalogue_ensure()
    w = SimpleNamespace()
    for part in (_world_places, _world_terms, _world_staff, _world_classes, _world_families):
        part(w)
    w.personas = _world_personas(w)
    return w


def _world_places(w: SimpleNamespace) -> None:
    """The city, its two districts, the current year and the two schools (own A, foreign B)."""
    w.city = Municipality.objects.create(name="Муниципальное образование город Краснодар", short_name="Краснодар")
    w.district = District.objects.create(municipality=w.city, name="Западный")
    w.other_district = District.objects.create(municipality=w.city, name="Карасунский")
    w.year = AcademicYear.objects.create(
        municipality=w.city,
        name="2026/2027",
        starts_on=dt.date(2026, 9, 1),
        ends_on=dt.date(2027, 8, 31),
        is_current=True,
    )
    w.school = School.objects.create(
        municipality=w.city, district=w.district, number=1, full_name="МБОУ СОШ № 1", short_name="СОШ № 1", code="s1"
    )
    w.other_school = School.objects.create(
        municipality=w.city,
        district=w.other_district,
        number=2,
        kind=School.Kind.GYMNASIUM,
        full_name="МБОУ гимназия № 2",
        short_name="Гимназия № 2",
        code="g2",
    )


def _world_terms(w: SimpleNamespace) -> None:
    """Four quarters of the year in each school."""
    for school in (w.school, w.other_school):
        for n, (start, end) in enumerate(
            [
                ((2026, 9, 1), (2026, 10, 25)),
                ((2026, 11, 5), (2026, 12, 28)),
                ((2027, 1, 12), (2027, 3, 21)),
                ((2027, 3, 31), (2027, 5, 26)),
            ],
            start=1,
        ):
            Term.objects.create(
                school=school,
                year=w.year,
                kind=Term.Kind.QUARTER,
                number=n,
                starts_on=dt.date(*start),
                ends_on=dt.date(*end),
            )


def _world_staff(w: SimpleNamespace) -> None:
    """People with appointments: the city, the district, both schools."""
    w.municipal_officer = make_user("mun", "Петрова", "Татьяна", "Андреевна")
    appoint(w.municipal_officer, Role.MUNICIPAL_OFFICER, municipality=w.city)
    w.methodist = make_user("method", "Дьяченко", "Вера", "Александровна")
    appoint(w.methodist, Role.METHODIST, municipality=w.city)
    w.district_officer = make_user("district", "Гонтарь", "Зинаида", "Ивановна")
    appoint(w.district_officer, Role.DISTRICT_OFFICER, district=w.district)
    w.director = make_user("director", "Иванов", "Сергей", "Петрович")
    appoint(w.director, Role.DIRECTOR, school=w.school, position="директор")
    w.deputy_head = make_user("deputy", "Смирнова", "Ольга", "Викторовна")
    appoint(w.deputy_head, Role.DEPUTY_HEAD, school=w.school, position="заместитель директора по УВР")
    w.coordinator = make_user("coord", "Кузнецов", "Андрей", "Олегович")
    appoint(w.coordinator, Role.JOURNAL_COORDINATOR, school=w.school, position="учитель информатики")
    w.teacher = make_user("teacher", "Попова", "Елена", "Сергеевна")
    appoint(w.teacher, Role.TEACHER, school=w.school, position="учитель математики")
    w.other_teacher = make_user("teacher2", "Волков", "Игорь", "Николаевич")
    appoint(w.other_teacher, Role.TEACHER, school=w.school, position="учитель истории")
    w.foreign_director = make_user("director2", "Соколов", "Павел", "Ильич")
    appoint(w.foreign_director, Role.DIRECTOR, school=w.other_school, position="директор")
    w.foreign_coordinator = make_user("coord2", "Лебедева", "Анна", "Игоревна")
    appoint(w.foreign_coordinator, Role.JOURNAL_COORDINATOR, school=w.other_school)
    w.foreign_teacher = make_user("teacher3", "Морозова", "Ирина", "Павловна")
    appoint(w.foreign_teacher, Role.TEACHER, school=w.other_school)


def _world_classes(w: SimpleNamespace) -> None:
    """Classes and students: the teacher leads 5 «А»; 5 «Б» has the other teacher."""
    w.cls = SchoolClass.objects.create(school=w.school, year=w.year, grade=5, letter="А", class_teacher=w.teacher)
    w.other_cls = SchoolClass.objects.create(
        school=w.school, year=w.year, grade=5, letter="Б", class_teacher=w.other_teacher
    )
    w.foreign_cls = SchoolClass.objects.create(
        school=w.other_school, year=w.year, grade=5, letter="А", class_teacher=w.foreign_teacher
    )
    w.subgroup = Subgroup.objects.create(school=w.school, school_class=w.cls, name="Английский язык, 1 группа")
    w.student_user = make_user("student", "Орлов", "Максим", "Андреевич")
    w.student = make_student(w.cls, "Орлов", "Максим", "Андреевич", user=w.student_user, record="A-1")
    w.classmate = make_student(w.cls, "Белова", "Дарья", "Игоревна", record="A-2")
    w.sibling = make_student(w.other_cls, "Орлова", "Анна", "Андреевна", record="A-3")
    w.foreign_student = make_student(w.foreign_cls, "Зайцев", "Кирилл", "Олегович", record="B-1")


def _world_families(w: SimpleNamespace) -> None:
    """A guardian of two children (5 «А» and 5 «Б»); another family's guardian."""
    w.guardian_user = make_user("parent", "Орлова", "Марина", "Викторовна", email="parent@example.ru")
    w.guardian = Guardian.objects.create(
        user=w.guardian_user,
        last_name="Орлова",
        first_name="Марина",
        middle_name="Викторовна",
        email="parent@example.ru",
    )
    for child in (w.student, w.sibling):
        GuardianLink.objects.create(
            school=child.school, guardian=w.guardian, student=child, relation=GuardianLink.Relation.MOTHER
        )
    w.foreign_guardian_user = make_user("parent2", "Зайцева", "Ольга", "Петровна")
    w.foreign_guardian = Guardian.objects.create(user=w.foreign_guardian_user, last_name="Зайцева", first_name="Ольга")
    GuardianLink.objects.create(
        school=w.other_school,
        guardian=w.foreign_guardian,
        student=w.foreign_student,
        relation=GuardianLink.Relation.MOTHER,
    )


def _world_personas(w: SimpleNamespace) -> dict[str, User]:
    """Role key → user, for tests that walk every role."""
    return {
        Role.MUNICIPAL_OFFICER: w.municipal_officer,
        Role.METHODIST: w.methodist,
        Role.DISTRICT_OFFICER: w.district_officer,
        Role.DIRECTOR: w.director,
        Role.DEPUTY_HEAD: w.deputy_head,
        Role.JOURNAL_COORDINATOR: w.coordinator,
        Role.TEACHER: w.other_teacher,
        Role.CLASS_TEACHER: w.teacher,
        Role.STUDENT: w.student_user,
        Role.GUARDIAN: w.guardian_user,
    }


def login(client: Client, user: User, role: str | None = None) -> Client:
    """Sign `user` in and make `role` active (the first role the user holds otherwise)."""
    from ejournal.portal.actors import role_choices
    from ejournal.portal.middleware import SESSION_KEY

    client.force_login(user)
    if role is not None:
        keys = [c.key for c in role_choices(user) if c.role == role]
        assert keys, f"{user} does not hold role {role}"
        session = client.session
        session[SESSION_KEY] = keys[0]
        session.save()
    return client
