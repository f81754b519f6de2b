"""The demo school's year plan: curriculum lines, subgroups and teaching assignments.

A primary class teacher teaches his own class everything but the foreign
language, music and physical education. Subject teachers get a class's whole
share of their subject (algebra, geometry and statistics together) — the
class teacher first, then whoever carries the fewest hours — up to
MAX_LOAD hours a week; a school short of a subject teacher hires one
(a part-timer in real life). The two subgroups of a class have two different
teachers, since they are taught at the same time.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from decimal import Decimal

from ejournal.access.roles import Role
from ejournal.curriculum.catalogue import catalogue_ensure
from ejournal.curriculum.models import CurriculumLine, Subject, TeachingAssignment
from ejournal.people.models import SubgroupMembership
from ejournal.schools.models import Subgroup

from .bulk import BulkWriter
from .people import PeopleContext, SchoolRoster, appoint, user_add
from .study_plan import (
    CURRICULUM,
    EXAM_SUBJECTS,
    MATHS,
    MATHS_TEACHER,
    PRIMARY,
    SUBGROUP_NAMES,
    SUBGROUP_SUBJECTS,
    teacher_position,
)

MAX_LOAD = 27  # hours a week: a full rate is 18, most teachers take one and a half


@dataclass(frozen=True)
class Teaching:
    """A queued TeachingAssignment, as the timetable step needs it."""

    id: int
    class_id: int
    group: int  # 0 the whole class, 1 or 2 a subgroup
    subgroup_id: int | None
    subject: str
    subject_id: int
    teacher_id: int
    hours: int


@dataclass
class SchoolPlanning:
    """What the timetable step needs of one school."""

    roster: SchoolRoster
    teachings: list[Teaching] = field(default_factory=list)
    loads: dict[int, int] = field(default_factory=dict)  # teacher → hours a week


def subjects_ensure(writer: BulkWriter) -> dict[str, int]:
    """Catalogue subject ids by name; reload the catalogue when a wipe removed it (it comes from a migration)."""
    catalogue_ensure()
    return dict(Subject.objects.filter(school__isnull=True).values_list("name", "id"))


def school_planning_build(
    people: PeopleContext, roster: SchoolRoster, subject_ids: dict[str, int], *, max_grade: int
) -> SchoolPlanning:
    """Queue curriculum lines, subgroups with their members and teaching assignments of one school."""
    writer, year_start = people.writer, people.year_start
    for grade in range(1, max_grade + 1):
        for subject, hours in CURRICULUM[grade]:
            writer.add(
                CurriculumLine,
                school_id=roster.school_id,
                year_id=people.year_id,
                grade=grade,
                subject_id=subject_ids[subject],
                hours_per_week=Decimal(hours),
                in_subgroups=subject in SUBGROUP_SUBJECTS and grade >= 2,
                has_exam=subject in EXAM_SUBJECTS.get(grade, ()),
            )
    subgroups = _subgroups_build(writer, roster, year_start)
    planning = SchoolPlanning(roster=roster, loads=dict.fromkeys(roster.teacher_ids, 0))
    staff = _StaffPool(people, roster, planning.loads)
    for position, class_id, group, lines in _bundles(roster):
        teacher = staff.pick(position, class_id, group, sum(hours for _, hours in lines), lines)
        for subject, hours in lines:
            subgroup_id = subgroups[class_id][group - 1] if group else None
            assignment_id = writer.add(
                TeachingAssignment,
                school_id=roster.school_id,
                year_id=people.year_id,
                teacher_id=teacher,
                school_class_id=class_id,
                subgroup_id=subgroup_id,
                subject_id=subject_ids[subject],
                hours_per_week=Decimal(hours),
                starts_on=year_start,
            )
            planning.teachings.append(
                Teaching(assignment_id, class_id, group, subgroup_id, subject, subject_ids[subject], teacher, hours)
            )
    return planning


def _subgroups_build(writer: BulkWriter, roster: SchoolRoster, starts_on: dt.date) -> dict[int, tuple[int, int]]:
    """Two subgroups per class from the 2nd grade, half of the class in each."""
    students: dict[int, list[int]] = {}
    for student_id, class_id in zip(roster.student_ids, roster.student_classes, strict=True):
        students.setdefault(class_id, []).append(student_id)
    out = {}
    for class_id in roster.class_ids:
        if roster.class_grades[class_id] < 2:
            continue
        first, second = (
            writer.add(Subgroup, school_id=roster.school_id, school_class_id=class_id, name=name)
            for name in SUBGROUP_NAMES
        )
        ids = (first, second)
        members = students.get(class_id, [])
        half = (len(members) + 1) // 2
        for i, student_id in enumerate(members):
            writer.add(
                SubgroupMembership,
                school_id=roster.school_id,
                subgroup_id=ids[0 if i < half else 1],
                student_id=student_id,
                starts_on=starts_on,
            )
        out[class_id] = ids
    return out


def _bundles(roster: SchoolRoster) -> list[tuple[str, int, int, list[tuple[str, int]]]]:
    """(position, class, group, [(subject, hours)]): what one teacher takes in one class.

    Ordered by position, then by grade from the top, so each position's classes are shared evenly.
    """
    bundles: dict[tuple[str, int, int], list[tuple[str, int]]] = {}
    for class_id in roster.class_ids:
        grade = roster.class_grades[class_id]
        for subject, hours in CURRICULUM[grade]:
            groups = (1, 2) if subject in SUBGROUP_SUBJECTS and grade >= 2 else (0,)
            for group in groups:
                bundles.setdefault((teacher_position(subject, grade), class_id, group), []).append((subject, hours))
    order = {class_id: (-roster.class_grades[class_id], i) for i, class_id in enumerate(roster.class_ids)}
    keys = sorted(bundles, key=lambda k: (k[0] != PRIMARY, k[0], order[k[1]], k[2]))
    return [(*key, bundles[key]) for key in keys]


class _StaffPool:
    def __init__(self, people: PeopleContext, roster: SchoolRoster, loads: dict[int, int]):
        self.people, self.roster, self.loads = people, roster, loads
        self.by_position: dict[str, list[int]] = {}
        for teacher in roster.teacher_ids:
            self.by_position.setdefault(roster.teacher_positions[teacher], []).append(teacher)
        self.group_teacher: dict[tuple[int, str], int] = {}  # (class, position) → teacher of group 1
        self.demo_class = roster.student_classes[0] if roster.demo_teacher_id and roster.student_classes else None

    def pick(self, position: str, class_id: int, group: int, hours: int, lines: list[tuple[str, int]]) -> int:
        """The teacher of one bundle; hire one when every teacher of the position is full."""
        class_teacher = self.roster.class_teacher_of.get(class_id)
        if position == PRIMARY:
            teacher = class_teacher
        elif position == MATHS_TEACHER and class_id == self.demo_class and any(s == MATHS for s, _ in lines):
            teacher = self.roster.demo_teacher_id
        else:
            busy = self.group_teacher.get((class_id, position)) if group == 2 else None
            pool = [t for t in self.by_position.get(position, []) if t != busy and self.loads[t] + hours <= MAX_LOAD]
            if class_teacher in pool:
                teacher = class_teacher
            elif pool:
                teacher = min(pool, key=lambda t: self.loads[t])
            else:
                teacher = self._hire(position)
        assert teacher is not None  # a primary class has its class teacher, the demo class the demo teacher
        if group == 1:
            self.group_teacher[(class_id, position)] = teacher
        self.loads[teacher] = self.loads.get(teacher, 0) + hours
        return teacher

    def _hire(self, position: str) -> int:
        people = self.people
        teacher = user_add(people, people.names.adult())
        appoint(people, teacher, Role.TEACHER, position, school_id=self.roster.school_id)
        self.by_position.setdefault(position, []).append(teacher)
        self.roster.teacher_ids.append(teacher)
        self.roster.teacher_positions[teacher] = position
        self.loads[teacher] = 0
        return teacher


def planning_rng(seed: int, index: int) -> random.Random:
    return random.Random(seed * 2_000_003 + index)
