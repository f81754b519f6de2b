"""The digest's content: bounded by the recipient's children, subgroups respected, constant queries."""

from __future__ import annotations

import datetime as dt

from ejournal.journal.services import homework_set, mark_set, work_types_ensure
from ejournal.journal.tests.helpers import assignment, lesson, teacher
from ejournal.people.models import SubgroupMembership

from ..selectors import Kinds, digest_collect
from .helpers import MON, at, family, guardian_actor

START = dt.datetime(2026, 9, 7, 0, 0, tzinfo=dt.UTC)
END = dt.datetime(2026, 9, 8, 0, 0, tzinfo=dt.UTC)


def test_the_digest_holds_only_the_actors_children(world):
    with at(MON, 12):
        family(world)
    digests = digest_collect(actor=guardian_actor(world), kinds=Kinds(), start=START, end=END)
    assert [d.name for d in digests] == ["Орлов Максим Андреевич", "Орлова Анна Андреевна"]
    assert [(m.subject, m.value) for m in digests[0].marks] == [("Математика", "5")]
    assert digests[1].absences_count == 2 and digests[1].marks == []
    only_sibling = guardian_actor(world, children=[world.sibling])
    assert [d.name for d in digest_collect(actor=only_sibling, kinds=Kinds(), start=START, end=END)] == [
        "Орлова Анна Андреевна"
    ]


def test_items_outside_the_period_are_left_out(world):
    with at(MON, 12):
        family(world)
    later = END + dt.timedelta(days=1)
    assert digest_collect(actor=guardian_actor(world), kinds=Kinds(), start=END, end=later) == []


def test_subgroup_homework_reaches_only_its_members(world):
    SubgroupMembership.objects.create(school=world.school, subgroup=world.subgroup, student=world.classmate,
                                      starts_on=world.year.starts_on)  # fmt: skip
    english = assignment(world, cls=world.cls, subgroup=world.subgroup, name="Иностранный язык (английский)")
    with at(MON, 12):
        homework_set(lesson=lesson(world, english, MON, 5), text="Ex. 3", actor=teacher(world))
    assert digest_collect(actor=guardian_actor(world), kinds=Kinds(), start=START, end=END) == []


def test_the_digest_reads_in_constant_queries(world, django_assert_num_queries):
    with at(MON, 12):
        data = family(world)
        test = work_types_ensure(world.school)["test"]
        for n in range(3, 8):
            extra = lesson(world, data["maths"], MON, n)
            mark_set(lesson=extra, student=world.student, value=4, work_type=test, actor=teacher(world))
            homework_set(lesson=extra, text=f"№ {n}", actor=teacher(world))
    with django_assert_num_queries(5):  # children, marks, absences, subgroup memberships, homework
        digests = digest_collect(actor=guardian_actor(world), kinds=Kinds(), start=START, end=END)
    assert len(digests[0].marks) == 6 and len(digests[0].homework) == 6
