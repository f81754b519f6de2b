"""Every people service that changes who reaches what moves the access generation of the users concerned."""

import datetime as dt

from ejournal.access.generation import access_generation
from ejournal.access.policy import Actor
from ejournal.access.roles import Role
from ejournal.people import services
from ejournal.people.models import GuardianLink

D = dt.date


def staff(user, role, world):
    return Actor(user_id=user.pk, role=role, school_id=world.school.pk)


def moved(*users):
    """Generations of `users` now, and a check that each of them has moved since."""
    before = [access_generation(u.pk) for u in users]
    return lambda: all(access_generation(u.pk) != b for u, b in zip(users, before, strict=True))


def test_class_teacher_change_reaches_the_old_and_the_new_teacher(world):
    coord = staff(world.coordinator, Role.JOURNAL_COORDINATOR, world)
    check = moved(world.teacher, world.other_teacher)
    services.class_update(
        school_class=world.cls, grade=5, letter="А", class_teacher=world.other_teacher, shift=1, actor=coord
    )
    assert check()


def test_a_new_class_reaches_its_class_teacher(world):
    coord = staff(world.coordinator, Role.JOURNAL_COORDINATOR, world)
    check = moved(world.other_teacher)
    services.class_create(school=world.school, grade=6, letter="В", class_teacher=world.other_teacher, shift=1,
                          actor=coord)  # fmt: skip
    assert check()


def test_appointments_reach_the_appointed(world):
    director = staff(world.director, Role.DIRECTOR, world)
    check = moved(world.other_teacher)
    assignment = services.appointment_add(user=world.other_teacher, school=world.school, role=Role.DEPUTY_HEAD,
                                          actor=director)  # fmt: skip
    assert check()
    check = moved(world.other_teacher)
    services.appointment_end(assignment=assignment, ends_on=D(2026, 11, 1), actor=director)
    assert check()


def test_guardian_link_reaches_the_guardians_account(world):
    coord = staff(world.coordinator, Role.JOURNAL_COORDINATOR, world)
    check = moved(world.guardian_user)
    services.guardian_link(guardian=world.guardian, student=world.classmate, relation=GuardianLink.Relation.MOTHER,
                           actor=coord)  # fmt: skip
    assert check()


def test_a_students_moves_reach_the_student(world):
    coord = staff(world.coordinator, Role.JOURNAL_COORDINATOR, world)
    check = moved(world.student_user)
    services.student_transfer(student=world.student, school_class=world.other_cls, on_date=D(2026, 11, 1),
                              actor=coord)  # fmt: skip
    assert check()
    check = moved(world.student_user)
    services.student_depart(student=world.student, on_date=D(2026, 11, 10), reason="переезд", order_number="1",
                            actor=coord)  # fmt: skip
    assert check()
    check = moved(world.student_user)
    services.student_admit(student=world.student, school_class=world.cls, on_date=D(2026, 11, 20), actor=coord)
    assert check()
