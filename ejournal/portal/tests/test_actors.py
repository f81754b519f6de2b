import datetime as dt

from ejournal.access.roles import Role
from ejournal.portal.actors import actor_build, role_choices


def _actor(user, role):
    choice = next(c for c in role_choices(user) if c.role == role)
    return actor_build(user, choice)


def test_guardian_actor_reaches_exactly_the_linked_children(world):
    actor = _actor(world.guardian_user, Role.GUARDIAN)
    assert actor.student_ids == {world.student.id, world.sibling.id}


def test_class_teacher_actor_reaches_the_led_class(world):
    actor = _actor(world.teacher, Role.CLASS_TEACHER)
    assert actor.led_class_ids == {world.cls.id}
    assert actor.school_id == world.school.id


def test_district_officer_reaches_schools_of_the_district(world):
    actor = _actor(world.district_officer, Role.DISTRICT_OFFICER)
    assert actor.school_ids == {world.school.id}


def test_ended_appointment_gives_no_role(world):
    assignment = world.director.role_assignments.get()
    assignment.ends_on = dt.date(2020, 1, 1)
    assignment.starts_on = dt.date(2019, 1, 1)
    assignment.save()
    assert not [c for c in role_choices(world.director) if c.role == Role.DIRECTOR]


def test_role_choice_count_is_cheap(world, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        role_choices(world.teacher)
