"""People of the demo city: officials, and per school its staff, classes, students and families.

Everything is queued on a BulkWriter with explicit ids; one school at a time
so memory stays bounded at city scale. Generated users get an unusable
password except the demo logins, which share one precomputed hash.
"""

from __future__ import annotations

import datetime as dt
import random
import secrets
from dataclasses import dataclass, field

from ejournal.access.roles import Role
from ejournal.accounts.models import User
from ejournal.people.models import Enrolment, Guardian, GuardianLink, RoleAssignment, Student
from ejournal.schools.models import SchoolClass

from .bulk import BulkWriter
from .names import FEMALE, MALE, POPULAR_MALE, NameSource, Person, patronymic, translit
from .network import DISTRICTS, SchoolPlan
from .study_plan import MATHS_TEACHER, positions_teaching

LETTERS = "АБВГДЕЖИКЛМН"
CLASS_SIZE = 27  # Krasnodar classes are full: 25–30 students
STUDENTS_PER_TEACHER = 25
PRIMARY_POSITION = "учитель начальных классов"
# Subject positions of grades 5–11 with their relative share of teachers.
SUBJECT_POSITIONS = {
    "учитель математики": 6,
    "учитель русского языка и литературы": 6,
    "учитель английского языка": 4,
    "учитель истории и обществознания": 3,
    "учитель физики": 2,
    "учитель химии": 1,
    "учитель биологии": 2,
    "учитель географии": 1,
    "учитель информатики": 1,
    "учитель физической культуры": 3,
    "учитель музыки": 1,
    "учитель изобразительного искусства": 1,
    "учитель технологии": 1,
    "учитель основ безопасности и защиты Родины": 1,
}
DEPUTY_POSITIONS = [
    "заместитель директора по учебно-воспитательной работе",
    "заместитель директора по воспитательной работе",
    "заместитель директора по научно-методической работе",
    "заместитель директора по учебно-воспитательной работе (начальная школа)",
]
# (children in the school, share of families); (guardians with an account, share).
FAMILY_SIZES = ((1, 0.80), (2, 0.17), (3, 0.03))
GUARDIAN_COUNTS = ((2, 0.85), (1, 0.15))


@dataclass
class PeopleContext:
    """What every people generator needs: the writer, names, the year and the demo logins to hand out."""

    writer: BulkWriter
    names: NameSource
    year_id: int
    year_start: dt.date
    demo_hash: str
    demo_logins: dict[str, str] = field(default_factory=dict)  # role → login, for the demo school only

    @property
    def rng(self) -> random.Random:
        return self.names.rng


def user_add(ctx: PeopleContext, person: Person, *, login: str | None = None, email: str = "") -> int:
    """Queue a user for `person`; a demo login gets the demo password, anybody else an unusable one."""
    user_id = ctx.writer.new_id(User)
    username = (
        login or f"{translit(person.last_name)}.{translit(person.first_name[0] + person.middle_name[0])}{user_id}"
    )
    ctx.writer.add(
        User,
        id=user_id,
        username=username,
        password=ctx.demo_hash if login else "!" + secrets.token_urlsafe(30),
        last_name=person.last_name,
        first_name=person.first_name,
        middle_name=person.middle_name,
        email=email,
    )
    return user_id


def appoint(ctx: PeopleContext, user_id: int, role: str, position: str, **scope) -> int:
    return ctx.writer.add(
        RoleAssignment, user_id=user_id, role=role, position=position, starts_on=ctx.year_start, **scope
    )


def officials_build(ctx: PeopleContext, *, municipality_id: int, district_ids: list[int], logins: dict) -> None:
    """Department officers and methodists of the city, two officers per district office."""
    city_roles = [
        (Role.MUNICIPAL_OFFICER, "главный специалист департамента образования", 4),
        (Role.METHODIST, "методист МКУ КМЦ «Старт»", 5),
    ]
    for role, position, count in city_roles:
        for i in range(count):
            user_id = user_add(ctx, ctx.names.adult(), login=logins.get(role) if i == 0 else None)
            appoint(ctx, user_id, role, position, municipality_id=municipality_id)
    for d, district_id in enumerate(district_ids):
        for i in range(2):
            login = logins.get(Role.DISTRICT_OFFICER) if d == 0 and i == 0 else None
            user_id = user_add(ctx, ctx.names.adult(), login=login)
            position = f"ведущий специалист отдела образования ({DISTRICTS[d]} округ)"
            appoint(ctx, user_id, Role.DISTRICT_OFFICER, position, district_id=district_id)


@dataclass
class SchoolRoster:
    """Ids of one generated school, for the demo logins and later steps (timetable, lessons)."""

    school_id: int
    class_ids: list[int]
    class_grades: dict[int, int]
    teacher_ids: list[int]
    class_teacher_of: dict[int, int] = field(default_factory=dict)  # class id → user id
    student_ids: list[int] = field(default_factory=list)
    student_classes: list[int] = field(default_factory=list)  # the class of each of `student_ids`
    class_shifts: dict[int, int] = field(default_factory=dict)
    teacher_positions: dict[int, str] = field(default_factory=dict)  # user id → position
    deputy_id: int = 0
    demo_teacher_id: int | None = None  # `demo_teacher`, in the demo school only


def school_people_build(ctx: PeopleContext, plan: SchoolPlan) -> SchoolRoster:
    """Queue staff, classes, students, guardians and enrolments of one school."""
    grades = _class_grades(plan)
    staff = _staff_build(ctx, plan, len(grades), sum(1 for g in grades if g <= 4))
    roster = _classes_build(ctx, plan, grades, staff)
    _families_build(ctx, plan, roster)
    return roster


def _class_grades(plan: SchoolPlan) -> list[int]:
    """The grade of each class: as many parallel classes per grade as the school's size needs."""
    per_grade = max(1, round(plan.students / plan.max_grade / CLASS_SIZE))
    return [grade for grade in range(1, plan.max_grade + 1) for _ in range(per_grade)]


@dataclass
class _Staff:
    primary: list[int]
    subject: list[int]  # the last one leads no class: the demo teacher when this is the demo school
    positions: dict[int, str] = field(default_factory=dict)
    deputy_id: int = 0
    demo: bool = False


def _staff_build(ctx: PeopleContext, plan: SchoolPlan, classes: int, primary_classes: int) -> _Staff:
    school = {"school_id": plan.id}
    logins = ctx.demo_logins
    director = user_add(ctx, ctx.names.adult(), login=logins.get(Role.DIRECTOR))
    appoint(ctx, director, Role.DIRECTOR, "директор", **school)
    deputies = []
    for i in range(min(1 + plan.students // 600, len(DEPUTY_POSITIONS))):
        deputies.append(user_add(ctx, ctx.names.adult(), login=logins.get(Role.DEPUTY_HEAD) if i == 0 else None))
        appoint(ctx, deputies[-1], Role.DEPUTY_HEAD, DEPUTY_POSITIONS[i], **school)
    # The coordinator is a teacher of informatics; the appointment comes first so it is his default role.
    coordinator = user_add(ctx, ctx.names.adult(), login=logins.get(Role.JOURNAL_COORDINATOR))
    appoint(ctx, coordinator, Role.JOURNAL_COORDINATOR, "ответственный за ведение электронного журнала", **school)
    appoint(ctx, coordinator, Role.TEACHER, "учитель информатики", **school)
    teachers = max(classes + 3, round(plan.students / STUDENTS_PER_TEACHER))
    primary = [_teacher_add(ctx, plan, PRIMARY_POSITION) for _ in range(primary_classes)]
    positions = ctx.rng.choices(list(SUBJECT_POSITIONS), list(SUBJECT_POSITIONS.values()), k=teachers - primary_classes)
    positions[-1] = MATHS_TEACHER
    subject = [_teacher_add(ctx, plan, position) for position in positions[:-1]]
    subject.append(_teacher_add(ctx, plan, MATHS_TEACHER, login=logins.get(Role.TEACHER)))
    staff = _Staff(primary=primary, subject=[coordinator, *subject], deputy_id=deputies[0], demo=bool(logins))
    staff.positions = dict.fromkeys(primary, PRIMARY_POSITION)
    staff.positions |= dict(zip(staff.subject, ["учитель информатики", *positions], strict=True))
    return staff


def _teacher_add(ctx: PeopleContext, plan: SchoolPlan, position: str, login: str | None = None) -> int:
    user_id = user_add(ctx, ctx.names.adult(), login=login)
    appoint(ctx, user_id, Role.TEACHER, position, school_id=plan.id)
    return user_id


def _classes_build(ctx: PeopleContext, plan: SchoolPlan, grades: list[int], staff: _Staff) -> SchoolRoster:
    primary = iter(staff.primary)
    subject = staff.subject[1:-1]  # the coordinator and the last teacher lead no class
    roster = SchoolRoster(
        school_id=plan.id,
        class_ids=[],
        class_grades={},
        teacher_ids=staff.primary + staff.subject,
        teacher_positions=staff.positions,
        deputy_id=staff.deputy_id,
        demo_teacher_id=staff.subject[-1] if staff.demo else None,
    )
    letter_index: dict[int, int] = {}
    for grade in grades:
        n = letter_index[grade] = letter_index.get(grade, -1) + 1
        class_teacher = next(primary) if grade <= 4 else _class_teacher_pick(subject, staff, grade)
        class_id = ctx.writer.add(
            SchoolClass,
            school_id=plan.id,
            year_id=ctx.year_id,
            grade=grade,
            letter=LETTERS[n],
            class_teacher_id=class_teacher,
            shift=(shift := 2 if grade in (2, 3, 6) and n > 1 else 1),  # crowded schools teach some grades in 2 shifts
        )
        roster.class_shifts[class_id] = shift
        roster.class_ids.append(class_id)
        roster.class_grades[class_id] = grade
        roster.class_teacher_of[class_id] = class_teacher
    return roster


def _class_teacher_pick(free: list[int], staff: _Staff, grade: int) -> int:
    """The first free subject teacher who has lessons in `grade`, so he teaches in his own class.

    In the demo school `demo_teacher` teaches mathematics in the demo student's 5th class,
    so no mathematics teacher leads a 5th class there.
    """
    teaching = positions_teaching(grade) - ({MATHS_TEACHER} if staff.demo and grade == 5 else set())
    index = next((i for i, user_id in enumerate(free) if staff.positions[user_id] in teaching), 0)
    return free.pop(index)


def _seats(ctx: PeopleContext, plan: SchoolPlan, roster: SchoolRoster) -> list[int]:
    """One class id per student place, shuffled; class sizes differ by a few students."""
    count = len(roster.class_ids)
    base, extra = divmod(plan.students, count)
    seats = [cid for i, cid in enumerate(roster.class_ids) for _ in range(base + (1 if i < extra else 0))]
    ctx.rng.shuffle(seats)
    return seats


def _families_build(ctx: PeopleContext, plan: SchoolPlan, roster: SchoolRoster) -> None:
    seats = _seats(ctx, plan, roster)
    if ctx.demo_logins:
        _demo_family_build(ctx, plan, roster, seats)
    sizes, size_weights = zip(*FAMILY_SIZES, strict=True)
    while seats:
        children = min(int(ctx.rng.choices(sizes, size_weights)[0]), len(seats))
        _family_build(ctx, plan, roster, [seats.pop() for _ in range(children)])


def _demo_family_build(ctx: PeopleContext, plan: SchoolPlan, roster: SchoolRoster, seats: list[int]) -> None:
    """Two children: the elder in a 5th class when one has places, the younger in another class."""
    target = 5 if plan.max_grade >= 5 else plan.max_grade
    elder = next((i for i, cid in enumerate(seats) if roster.class_grades[cid] == target), 0)
    elder_class = seats.pop(elder)
    younger = next((i for i, cid in enumerate(seats) if cid != elder_class), 0)
    younger_class = seats.pop(younger) if seats else elder_class
    _family_build(ctx, plan, roster, [elder_class, younger_class], demo=True)


def _family_build(ctx: PeopleContext, plan: SchoolPlan, roster: SchoolRoster, classes: list[int], demo=False) -> None:
    rng, names, writer = ctx.rng, ctx.names, ctx.writer
    male_surname, female_surname = names.surname_pair()
    father_name = rng.choice(POPULAR_MALE)
    mother = Person(
        female_surname, names.first_name(FEMALE, popular=0.9), patronymic(rng.choice(POPULAR_MALE), FEMALE), FEMALE
    )
    father = Person(male_surname, father_name, patronymic(rng.choice(POPULAR_MALE), MALE), MALE)
    counts, count_weights = zip(*GUARDIAN_COUNTS, strict=True)
    adults = [(mother, GuardianLink.Relation.MOTHER), (father, GuardianLink.Relation.FATHER)]
    if not demo and rng.choices(counts, count_weights)[0] == 1:
        adults = [adults[0] if rng.random() < 0.8 else adults[1]]
    guardian_ids = []
    for i, (person, relation) in enumerate(adults):
        login = ctx.demo_logins.get(Role.GUARDIAN) if demo and i == 0 else None
        guardian_ids.append((_guardian_add(ctx, person, login), relation))
    for i, class_id in enumerate(classes):
        gender = names.gender()
        child = Person(
            male_surname if gender == MALE else female_surname,
            names.first_name(gender),
            patronymic(father_name, gender),
            gender,
        )
        login = ctx.demo_logins.get(Role.STUDENT) if demo and i == 0 else None
        student_id = _student_add(ctx, plan, roster, child, class_id, login)
        for guardian_id, relation in guardian_ids:
            writer.add(
                GuardianLink, school_id=plan.id, guardian_id=guardian_id, student_id=student_id, relation=relation
            )
    if demo:
        _demo_class_teacher_rename(ctx, roster.class_teacher_of[classes[0]])


def _guardian_add(ctx: PeopleContext, person: Person, login: str | None) -> int:
    phone = f"+7 9{ctx.rng.randrange(10, 99)} {ctx.rng.randrange(100, 999)}-{ctx.rng.randrange(10, 99)}-{ctx.rng.randrange(10, 99)}"
    user_id = user_add(ctx, person, login=login)
    return ctx.writer.add(
        Guardian,
        user_id=user_id,
        last_name=person.last_name,
        first_name=person.first_name,
        middle_name=person.middle_name,
        phone=phone,
    )


def _student_add(ctx: PeopleContext, plan, roster: SchoolRoster, child: Person, class_id: int, login) -> int:
    grade = roster.class_grades[class_id]
    y = ctx.year_start.year
    birth_date = dt.date(y - 6 - grade, 9, 1) - dt.timedelta(days=ctx.rng.randrange(365))
    student_id = ctx.writer.new_id(Student)
    ctx.writer.add(
        Student,
        id=student_id,
        school_id=plan.id,
        school_class_id=class_id,
        user_id=user_add(ctx, child, login=login),
        last_name=child.last_name,
        first_name=child.first_name,
        middle_name=child.middle_name,
        birth_date=birth_date,
        gender=child.gender,
        record_number=f"{plan.number}-{len(roster.student_ids) + 1:05d}",
        is_active=True,
    )
    ctx.writer.add(
        Enrolment,
        school_id=plan.id,
        student_id=student_id,
        school_class_id=class_id,
        starts_on=ctx.year_start,
        start_reason=Enrolment.Reason.ADMISSION,
        order_number=f"{ctx.rng.randrange(100, 400)}-у",
    )
    roster.student_ids.append(student_id)
    roster.student_classes.append(class_id)
    return student_id


def _demo_class_teacher_rename(ctx: PeopleContext, user_id: int) -> None:
    """The class teacher of the demo student becomes `demo_classteacher` (rows are still queued)."""
    ctx.writer.update(User, user_id, username=ctx.demo_logins[Role.CLASS_TEACHER], password=ctx.demo_hash)
