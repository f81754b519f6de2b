"""The demo city as a list of steps; later domains (timetable, lessons, marks) append theirs.

A step is a function of the BuildContext; after each step the queued rows are
written, so a step may rely on the rows of the steps before it. The whole
build runs in one transaction: it either completes or leaves nothing.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils import timezone

from ejournal.access.generation import access_changed
from ejournal.access.policy import Actor
from ejournal.access.roles import Role
from ejournal.accounts.models import User
from ejournal.people.models import Guardian, Student
from ejournal.schools.models import School

from . import school_calendar
from . import timetable as demo_timetable
from .bulk import BulkWriter, sequences_reset
from .journal import step_journal
from .logins import DEMO_LOGINS, DEMO_USERNAMES
from .names import NameSource
from .network import SchoolPlan, network_build
from .people import PeopleContext, SchoolRoster, officials_build, school_people_build
from .planning import SchoolPlanning, planning_rng, school_planning_build, subjects_ensure

CITY_SCHOOLS = 120
CITY_STUDENTS = 200_000
# Tables kept by a wipe: they are filled by migrations, not by the demo.
KEEP_TABLES = {"django_migrations", "django_content_type", "auth_permission"}


@dataclass(frozen=True)
class CityPlan:
    """What to build: `students` in total, shared among `schools` by kind and size."""

    schools: int
    students: int
    seed: int = 271
    password: str = ""
    today: dt.date | None = None


@dataclass
class BuildContext:
    plan: CityPlan
    writer: BulkWriter
    rng: random.Random
    today: dt.date
    demo_hash: str
    municipality_id: int = 0
    district_ids: list[int] = field(default_factory=list)
    schools: list[SchoolPlan] = field(default_factory=list)
    year_id: int = 0
    rosters: list[SchoolRoster] = field(default_factory=list)  # ids only, for later steps
    plannings: list[SchoolPlanning] = field(default_factory=list)  # curriculum and assignments, for the timetable
    lessons_created: int = 0

    def people(self, rng: random.Random, *, demo: bool) -> PeopleContext:
        return PeopleContext(
            writer=self.writer,
            names=NameSource(rng),
            year_id=self.year_id,
            year_start=dt.date(school_calendar.year_start(self.today), 9, 1),
            demo_hash=self.demo_hash,
            demo_logins=dict(DEMO_USERNAMES) if demo else {},
        )

    def school_rng(self, index: int) -> random.Random:
        """A generator per school, so one school's data does not depend on how the others were drawn."""
        return random.Random(self.plan.seed * 1_000_003 + index)


@dataclass(frozen=True)
class Step:
    name: str
    run: Callable[[BuildContext], None]


def step_network(ctx: BuildContext) -> None:
    network = network_build(ctx.writer, ctx.rng, schools=ctx.plan.schools, students=ctx.plan.students)
    ctx.municipality_id, ctx.district_ids, ctx.schools = network.municipality_id, network.district_ids, network.schools


def step_calendar(ctx: BuildContext) -> None:
    ctx.year_id = school_calendar.year_build(ctx.writer, municipality_id=ctx.municipality_id, today=ctx.today)
    y = school_calendar.year_start(ctx.today)
    for school in ctx.schools:
        school_calendar.terms_build(
            ctx.writer,
            school_id=school.id,
            year_id=ctx.year_id,
            y=y,
            max_grade=school.max_grade,
            split=school.half_year_seniors,
        )


def step_officials(ctx: BuildContext) -> None:
    people = ctx.people(ctx.rng, demo=True)
    officials_build(
        people, municipality_id=ctx.municipality_id, district_ids=ctx.district_ids, logins=people.demo_logins
    )


def step_schools(ctx: BuildContext) -> None:
    """Staff, classes and families school by school, writing each school before the next."""
    for index, school in enumerate(ctx.schools):
        roster = school_people_build(ctx.people(ctx.school_rng(index), demo=index == 0), school)
        ctx.rosters.append(roster)
        ctx.writer.flush()


def step_planning(ctx: BuildContext) -> None:
    """Curriculum, subgroups and teaching assignments of every school."""
    subject_ids = subjects_ensure(ctx.writer)
    ctx.writer.flush()
    for index, (school, roster) in enumerate(zip(ctx.schools, ctx.rosters, strict=True)):
        people = ctx.people(planning_rng(ctx.plan.seed, index), demo=False)
        ctx.plannings.append(school_planning_build(people, roster, subject_ids, max_grade=school.max_grade))
        ctx.writer.flush()


def step_timetable(ctx: BuildContext) -> None:
    """Bells, study weeks, rooms and the weekly timetable of every school."""
    valid_from = dt.date(school_calendar.year_start(ctx.today), 9, 1)
    for index, (school, planning) in enumerate(zip(ctx.schools, ctx.plannings, strict=True)):
        roster = planning.roster
        days = {g: demo_timetable.study_days(school.kind, g, demo=index == 0) for g in range(1, school.max_grade + 1)}
        demo_timetable.bells_build(ctx.writer, school.id, second_shift=2 in roster.class_shifts.values())
        demo_timetable.study_weeks_build(ctx.writer, school.id, ctx.year_id, days)
        demo_timetable.school_timetable_build(
            ctx.writer,
            planning,
            year_id=ctx.year_id,
            valid_from=valid_from,
            days=days,
            shifts=roster.class_shifts,
            rng=random.Random(ctx.plan.seed * 3_000_017 + index),
        )
        ctx.writer.flush()
    ctx.plannings.clear()


def step_lessons(ctx: BuildContext) -> None:
    """Dated lessons of the whole year, school by school, by the timetable app's own generation service.

    The service inserts with COPY on PostgreSQL, so the whole city goes through the same code path
    as a deputy head pressing «Сформировать уроки».
    """
    ctx.lessons_created += lessons_generate_all(ctx.rosters)


def lessons_generate_all(rosters: list[SchoolRoster]) -> int:
    """Run `lessons_generate` for the whole current year of each school, as its deputy head; return the count."""
    from ejournal.timetable.calendar import current_year
    from ejournal.timetable.services import lessons_generate

    schools = School.objects.in_bulk([r.school_id for r in rosters])
    created = 0
    for roster in rosters:
        school = schools[roster.school_id]
        year = current_year(school)
        assert year is not None  # the demo city has its current year
        actor = Actor(user_id=roster.deputy_id, role=Role.DEPUTY_HEAD, school_id=school.pk)
        result = lessons_generate(school=school, date_from=year.starts_on, date_to=year.ends_on, actor=actor)
        created += result.created
    return created


def step_sequences(ctx: BuildContext) -> None:
    sequences_reset(ctx.writer.models)


CITY_STEPS: list[Step] = [
    Step("network", step_network),
    Step("calendar", step_calendar),
    Step("officials", step_officials),
    Step("schools", step_schools),
    Step("planning", step_planning),
    Step("timetable", step_timetable),
    Step("lessons", step_lessons),
    Step("journal", step_journal),
    Step("sequences", step_sequences),
]


def city_build(
    plan: CityPlan, *, steps: list[Step] | None = None, on_step: Callable[[str, float], None] | None = None
) -> BuildContext:
    """Build the city in one transaction; call `on_step(name, seconds)` after each step."""
    ctx = BuildContext(
        plan=plan,
        writer=BulkWriter(),
        rng=random.Random(plan.seed),
        today=plan.today or timezone.localdate(),
        demo_hash=make_password(plan.password),
    )
    with transaction.atomic():
        for step in CITY_STEPS if steps is None else steps:
            started = time.perf_counter()
            step.run(ctx)
            ctx.writer.flush()
            if on_step:
                on_step(step.name, time.perf_counter() - started)
        access_changed()
    return ctx


def demo_exists() -> bool:
    """Whether a demo city is already loaded (its department login is the marker)."""
    return User.objects.filter(username=DEMO_USERNAMES[Role.MUNICIPAL_OFFICER]).exists()


def demo_counts() -> dict[str, int]:
    return {
        "schools": School.objects.count(),
        "students": Student.objects.count(),
        "guardians": Guardian.objects.count(),
        "users": User.objects.count(),
    }


def demo_wipe() -> None:
    """Delete every row of every table except those filled by migrations; restart the id sequences."""
    tables = [t for t in connection.introspection.django_table_names(only_existing=True) if t not in KEEP_TABLES]
    statements = connection.ops.sql_flush(no_style(), tables, reset_sequences=True, allow_cascade=True)
    if connection.vendor == "postgresql" and connection.in_atomic_block:
        connection.check_constraints()  # TRUNCATE refuses to run while deferred FK checks are pending
    connection.ops.execute_sql_flush(statements)
    access_changed()  # ids restart: a new user must not meet the cached access of an old one


def demo_logins_lines(password: str) -> list[str]:
    """Printable lines: role, login, password, the person's name and what the login shows."""
    users = {u.username: u for u in User.objects.filter(username__in=DEMO_USERNAMES.values())}
    lines = [f"{'Роль':<38} {'Логин':<18} {'Пароль':<10} Кто", "-" * 100]
    for role, login, description in DEMO_LOGINS:
        user = users.get(login)
        who = user.get_full_name() if user else "— нет (запустите manage.py demo_city)"
        lines.append(f"{Role(role).label:<38} {login:<18} {password:<10} {who}")
        lines.append(f"{'':<38} {description}")
    return lines
