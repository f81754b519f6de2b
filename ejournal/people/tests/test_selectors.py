"""Roster selectors return only what the acting role reaches."""

import datetime as dt

import pytest
from django.http import Http404

from ejournal.access.policy import Actor
from ejournal.access.roles import Role
from ejournal.people import selectors, services
from ejournal.people.models import GuardianLink


@pytest.fixture
def coord(world):
    return Actor(user_id=world.coordinator.pk, role=Role.JOURNAL_COORDINATOR, school_id=world.school.pk)


@pytest.fixture
def foreign_coord(world):
    return Actor(user_id=world.foreign_coordinator.pk, role=Role.JOURNAL_COORDINATOR, school_id=world.other_school.pk)


@pytest.fixture
def class_teacher(world):
    ids = frozenset({world.cls.pk})
    return Actor(
        user_id=world.teacher.pk, role=Role.CLASS_TEACHER, school_id=world.school.pk, class_ids=ids, led_class_ids=ids
    )


def test_administration_sees_every_class_of_its_school_with_counts(world, coord):
    classes = selectors.classes_list(actor=coord)
    assert [(c.pk, c.student_count, c.subgroup_count) for c in classes] == [
        (world.cls.pk, 2, 1),
        (world.other_cls.pk, 1, 0),
    ]


def test_a_class_teacher_sees_only_own_class(world, class_teacher):
    assert [c.pk for c in selectors.classes_list(actor=class_teacher)] == [world.cls.pk]
    with pytest.raises(Http404):
        selectors.class_get(actor=class_teacher, pk=world.other_cls.pk)
    with pytest.raises(Http404):
        selectors.student_get(actor=class_teacher, pk=world.sibling.pk)


def test_foreign_objects_are_not_found(world, coord):
    for get, pk in [
        (selectors.class_get, world.foreign_cls.pk),
        (selectors.student_get, world.foreign_student.pk),
        (selectors.guardian_get, world.foreign_guardian.pk),
    ]:
        with pytest.raises(Http404):
            get(actor=coord, pk=pk)
    with pytest.raises(Http404):
        selectors.staff_member_get(actor=coord, user_id=world.foreign_teacher.pk)


def test_search_finds_cyrillic_names_in_any_case(world, coord):
    found = selectors.students_search(actor=coord, filters=selectors.StudentFilter(q="орлов"))
    assert {s.pk for s in found} == {world.student.pk, world.sibling.pk}
    found = selectors.students_search(actor=coord, filters=selectors.StudentFilter(q="ОРЛОВ макс"))
    assert [s.pk for s in found] == [world.student.pk]
    by_class = selectors.students_search(actor=coord, filters=selectors.StudentFilter(class_id=world.other_cls.pk))
    assert [s.pk for s in by_class] == [world.sibling.pk]


def test_a_school_keeps_seeing_a_student_who_moved_away_but_only_its_own_history(world, coord, foreign_coord):
    services.student_transfer_to_school(
        student=world.student, to_school=world.other_school, on_date=dt.date(2026, 12, 1), actor=coord
    )
    left = selectors.students_search(actor=coord, filters=selectors.StudentFilter(status="left"))
    assert [s.pk for s in left] == [world.student.pk]
    current = selectors.students_search(actor=coord, filters=selectors.StudentFilter())
    assert world.student.pk not in {s.pk for s in current}
    arriving = selectors.students_search(actor=foreign_coord, filters=selectors.StudentFilter(status="arriving"))
    assert [s.pk for s in arriving] == [world.student.pk]
    history = selectors.student_history(actor=foreign_coord, student=world.student)
    assert history["enrolments"] == [] and [d.to_school_id for d in history["departures"]] == [world.other_school.pk]


def test_each_school_sees_only_its_own_links_of_a_shared_guardian(world, coord, foreign_coord):
    GuardianLink.objects.create(
        school=world.other_school, guardian=world.guardian, student=world.foreign_student, relation="mother"
    )
    own = selectors.guardian_links(actor=coord, guardian=world.guardian)
    assert {link.student_id for link in own} == {world.student.pk, world.sibling.pk}
    theirs = selectors.guardian_links(actor=foreign_coord, guardian=world.guardian)
    assert [link.student_id for link in theirs] == [world.foreign_student.pk]
    listed = selectors.guardians_search(actor=foreign_coord, q="орлова")
    assert [[link.student_id for link in g.own_links] for g in listed] == [[world.foreign_student.pk]]


def test_a_class_teacher_reaches_guardians_of_own_class_only(world, class_teacher):
    assert [g.pk for g in selectors.guardians_scope(class_teacher)] == [world.guardian.pk]
    links = selectors.guardian_links(actor=class_teacher, guardian=world.guardian)
    assert [link.student_id for link in links] == [world.student.pk]


def test_staff_list_hides_former_staff_unless_asked(world, coord):
    services.appointment_end(
        assignment=world.other_teacher.role_assignments.get(), ends_on=dt.date(2020, 1, 1), actor=coord
    )
    names = {m.user.pk for m in selectors.staff_list(actor=coord)}
    assert world.other_teacher.pk not in names and world.teacher.pk in names
    assert world.other_teacher.pk in {m.user.pk for m in selectors.staff_list(actor=coord, include_former=True)}
