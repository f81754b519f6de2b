"""Unit tests of the diary rules: pure functions of the Actor, no database."""

from types import SimpleNamespace

from ejournal.access.policy import Actor, check
from ejournal.access.roles import Role

CHILD = SimpleNamespace(id=1, school_id=10, school_class_id=100)
OTHER = SimpleNamespace(id=2, school_id=10, school_class_id=200)
FOREIGN = SimpleNamespace(id=3, school_id=20, school_class_id=300)
GUARDIAN = Actor(user_id=1, role=Role.GUARDIAN, student_ids=frozenset({1}))
STUDENT = Actor(user_id=2, role=Role.STUDENT, student_ids=frozenset({1}))
CLASS_TEACHER = Actor(user_id=3, role=Role.CLASS_TEACHER, school_id=10, class_ids=frozenset({100, 200}),
                      led_class_ids=frozenset({100}))  # fmt: skip
TEACHER = Actor(user_id=3, role=Role.TEACHER, school_id=10, class_ids=frozenset({100}), led_class_ids=frozenset({100}))
COORDINATOR = Actor(user_id=4, role=Role.JOURNAL_COORDINATOR, school_id=10)
DIRECTOR = Actor(user_id=5, role=Role.DIRECTOR, school_id=10)


def test_family_reads_only_their_own_childs_diary():
    for actor in (GUARDIAN, STUDENT):
        assert check(actor, "can_read_diary") and check(actor, "can_read_diary", CHILD)
        assert not check(actor, "can_read_diary", OTHER) and not check(actor, "can_read_diary", FOREIGN)


def test_staff_never_read_the_diary_itself():
    for actor in (CLASS_TEACHER, TEACHER, COORDINATOR, DIRECTOR):
        assert not check(actor, "can_read_diary") and not check(actor, "can_read_diary", CHILD)


def test_a_guardian_without_children_has_no_diary():
    assert not check(Actor(user_id=9, role=Role.GUARDIAN), "can_read_diary")


def test_only_a_guardian_acknowledges_and_only_for_a_linked_child():
    assert check(GUARDIAN, "can_acknowledge_diary_week", CHILD)
    assert not check(GUARDIAN, "can_acknowledge_diary_week", OTHER)
    assert not check(STUDENT, "can_acknowledge_diary_week", CHILD)
    assert not check(CLASS_TEACHER, "can_acknowledge_diary_week", CHILD)


def test_the_extract_is_printed_by_the_family_the_class_teacher_and_the_coordinator():
    assert check(GUARDIAN, "can_print_diary_extract", CHILD) and check(STUDENT, "can_print_diary_extract", CHILD)
    assert not check(GUARDIAN, "can_print_diary_extract", OTHER)
    assert check(CLASS_TEACHER, "can_print_diary_extract", CHILD)
    assert not check(CLASS_TEACHER, "can_print_diary_extract", OTHER)  # another class of the school
    assert check(COORDINATOR, "can_print_diary_extract", OTHER)
    assert not check(COORDINATOR, "can_print_diary_extract", FOREIGN)


def test_the_extract_is_refused_to_a_plain_teacher_the_director_and_anonymous():
    assert not check(TEACHER, "can_print_diary_extract") and not check(TEACHER, "can_print_diary_extract", CHILD)
    assert not check(DIRECTOR, "can_print_diary_extract", CHILD)
    assert not check(Actor(user_id=None), "can_print_diary_extract", CHILD)


def test_only_staff_print_extracts_for_families():
    from ejournal.access.policy import Actor, check
    from ejournal.access.roles import Role

    assert check(Actor(user_id=1, role=Role.JOURNAL_COORDINATOR, school_id=1), "can_print_extracts_for_families")
    assert check(
        Actor(user_id=1, role=Role.CLASS_TEACHER, school_id=1, led_class_ids=frozenset({5})),
        "can_print_extracts_for_families",
    )
    assert not check(
        Actor(user_id=1, role=Role.GUARDIAN, student_ids=frozenset({5})), "can_print_extracts_for_families"
    )
    assert not check(Actor(user_id=1, role=Role.DIRECTOR, school_id=1), "can_print_extracts_for_families")
