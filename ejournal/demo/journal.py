"""The demo city's journal up to today: plans, topics, homework, attendance, marks and term marks.

For every held lesson of the year up to `ctx.today`, school by school and month
by month (bounded memory): the topic from a thematic plan generated per
assignment (LessonNote + Lesson.topic), homework on most lessons, absences
(illness spells that come more often in winter, excused days, skipped lessons,
lateness) and marks — about two per student per school day from the 2nd grade
on (1st grade is taught without marks or homework), drawn around each
student's level, only for students enrolled that day, in the lesson's
subgroup and present. Finished terms get their term marks (the suggestion
from the weighted average) and are closed.

History is loaded in bulk (COPY on PostgreSQL, batched INSERTs elsewhere), not
through the journal's services: it has no ChangeRecord rows, as if the journal
had been imported at once.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection, models
from django.utils import timezone

from ejournal.access.roles import Role
from ejournal.core.bulk import column_defaults, rows_insert
from ejournal.curriculum.models import Subject
from ejournal.journal.averages import suggest, weighted_average
from ejournal.journal.models import (
    Attendance,
    Homework,
    LessonNote,
    Mark,
    PeriodKind,
    PeriodMark,
    PlannedTopic,
    TermClosure,
    ThematicPlan,
)
from ejournal.journal.rules import rules_for
from ejournal.journal.services.setup import work_types_ensure
from ejournal.journal.year_suggest import final_suggest, year_suggest
from ejournal.people.models import Enrolment, RoleAssignment, SubgroupMembership
from ejournal.schools.models import School, SchoolClass, Term
from ejournal.timetable.models import Lesson

from . import study_plan as sp
from .bulk import BulkWriter
from .journal_topics import homework_text, plan_topics

MARKS_PER_DAY = 2.0  # per student per attended school day, across subjects
MARKED_IN_CONTROL_WORK = 0.9  # share of present students marked for a control work
MARKED_IN_INDEPENDENT = 0.6
INDEPENDENT_SHARE = 0.08  # lessons with an independent (written) work
HOMEWORK_SHARE = 0.9  # lessons with homework (PE and practical subjects: rarely)
ILL_START = {"winter": 0.012, "other": 0.006}  # chance a healthy student falls ill on a school day
ILL_DAYS = (2, 7)  # school days of an illness spell
EXCUSED_DAY = 0.004  # a whole day away for a good reason (family, competition)
TRUANT_DAY = 0.002
SKIPPED_LESSON = 0.008
LATE_FIRST_LESSON = 0.01
LEVEL_MEAN, LEVEL_SPREAD, LEVEL_RANGE = 3.9, 0.45, (2.9, 4.85)
MARK_SPREAD = 0.65
SQLITE_BATCH = 2000
WINTER = (12, 1, 2)
ILL_NOTES = ("справка из поликлиники", "медицинская справка", "записка родителей")
EXCUSED_NOTES = ("заявление родителей", "участие в олимпиаде", "соревнования")


def step_journal(ctx) -> None:
    """The journal of every school of the city up to today (after the "lessons" step)."""
    for index, roster in enumerate(ctx.rosters):
        rng = random.Random(ctx.plan.seed * 5_000_011 + index)
        school_journal_build(ctx.writer, school_id=roster.school_id, year_id=ctx.year_id, today=ctx.today, rng=rng)


@dataclass(frozen=True)
class _Lesson:
    id: int
    assignment_id: int
    class_id: int
    subgroup_id: int | None
    subject_id: int
    teacher_id: int
    date: dt.date
    number: int


@dataclass
class _School:
    """What the generator reads of one school, and the state it carries from day to day."""

    id: int
    year_id: int
    today: dt.date
    rng: random.Random
    work_types: dict[str, tuple[int, Decimal]]
    grades: dict[int, int]
    class_teachers: dict[int, int]
    subjects: dict[int, str]
    enrolments: dict[int, list[tuple[int, dt.date, dt.date | None]]]
    members: dict[int, dict[int, list[tuple[dt.date, dt.date | None]]]]
    terms: list[Term]
    ill: dict[int, int] = field(default_factory=dict)  # student → school days of illness left
    levels: dict[int, float] = field(default_factory=dict)
    offsets: dict[tuple[int, int], float] = field(default_factory=dict)
    # (student, class, subject, term) → [teacher, [(value, weight)]]
    term_marks: dict[tuple[int, int, int, int], list] = field(default_factory=dict)

    def term_of(self, grade: int, day: dt.date) -> Term | None:
        for term in self.terms:
            if term.min_grade <= grade <= term.max_grade and term.starts_on <= day <= term.ends_on:
                return term
        return None

    def level(self, student: int, subject: int) -> float:
        if student not in self.levels:
            self.levels[student] = min(max(self.rng.gauss(LEVEL_MEAN, LEVEL_SPREAD), LEVEL_RANGE[0]), LEVEL_RANGE[1])
        if (student, subject) not in self.offsets:
            self.offsets[(student, subject)] = self.rng.gauss(0, 0.25)
        return self.levels[student] + self.offsets[(student, subject)]


def _spans_cover(spans, day: dt.date) -> bool:
    return any(start <= day and (end is None or day <= end) for start, end in spans)


def _school_load(school_id: int, year_id: int, today: dt.date, rng: random.Random) -> _School:
    school = School.objects.get(pk=school_id)
    work_types = {code: (wt.pk, wt.weight) for code, wt in work_types_ensure(school).items()}
    enrolments: dict[int, list] = defaultdict(list)
    for student, class_id, start, end in Enrolment.objects.filter(school_id=school_id).order_by("pk").values_list(
        "student_id", "school_class_id", "starts_on", "ends_on"
    ):  # fmt: skip
        enrolments[class_id].append((student, start, end))
    members: dict[int, dict[int, list]] = defaultdict(lambda: defaultdict(list))
    for student, subgroup, start, end in SubgroupMembership.objects.filter(school_id=school_id).order_by(
        "pk"
    ).values_list("student_id", "subgroup_id", "starts_on", "ends_on"):  # fmt: skip
        members[subgroup][student].append((start, end))
    classes = SchoolClass.objects.filter(school_id=school_id, year_id=year_id)
    return _School(
        id=school_id, year_id=year_id, today=today, rng=rng, work_types=work_types,
        grades=dict(classes.values_list("pk", "grade")),
        class_teachers=dict(classes.exclude(class_teacher__isnull=True).values_list("pk", "class_teacher_id")),
        subjects=dict(Subject.objects.values_list("pk", "name")), enrolments=enrolments, members=members,
        terms=list(Term.objects.filter(school_id=school_id, year_id=year_id).order_by("starts_on", "pk")),
    )  # fmt: skip


def school_journal_build(
    writer: BulkWriter, *, school_id: int, year_id: int, today: dt.date, rng: random.Random
) -> dict[str, int]:
    """Generate and write the journal of one school up to `today`; return rows written per table."""
    school = _school_load(school_id, year_id, today, rng)
    year = [
        _Lesson(*row)
        for row in Lesson.objects.filter(school_id=school_id, status__in=HELD)
        .order_by("assignment_id", "date", "lesson_number", "pk")
        .values_list("pk", "assignment_id", "school_class_id", "subgroup_id", "subject_id", "teacher_id", "date",
                     "lesson_number")
    ]  # fmt: skip
    topics = _plans_build(writer, school, year)
    due = _due_dates(year)
    counts: dict[str, int] = defaultdict(int)
    past = sorted((ls for ls in year if ls.date <= today), key=lambda ls: (ls.date, ls.class_id, ls.number, ls.id))
    del year
    months: dict[tuple[int, int], list[_Lesson]] = defaultdict(list)
    for lesson in past:
        months[(lesson.date.year, lesson.date.month)].append(lesson)
    for month in sorted(months):
        rows = _month_rows(school, months.pop(month), topics, due)
        for model, model_rows in rows.items():
            if model is Lesson:
                _lessons_update(model_rows)
            else:
                counts[model._meta.db_table] += _insert(model, model_rows)
    counts[PeriodMark._meta.db_table] += _insert(PeriodMark, _period_rows(school, school_id))
    counts[TermClosure._meta.db_table] += _insert(TermClosure, _closure_rows(school, school_id))
    return dict(counts)


HELD = (Lesson.Status.SCHEDULED, Lesson.Status.EXTRA)


def _stamp(day: dt.date, number: int = 6, *, days: int = 0) -> dt.datetime:
    """A moment of the school day: the end of lesson `number` (8:00 + 55 min a lesson), `days` later."""
    start = dt.datetime.combine(day + dt.timedelta(days=days), dt.time(8, 0), tzinfo=timezone.get_current_timezone())
    return start + dt.timedelta(minutes=55 * number - 10)


def _plans_build(writer: BulkWriter, school: _School, year: list[_Lesson]) -> dict[int, tuple[int, str, bool]]:
    """A thematic plan per assignment covering its year's lessons; return lesson → (topic id, title, control)."""
    by_assignment: dict[int, list[_Lesson]] = defaultdict(list)
    for lesson in year:
        by_assignment[lesson.assignment_id].append(lesson)
    out = {}
    for assignment_id in sorted(by_assignment):
        lessons = by_assignment[assignment_id]
        first = lessons[0]
        grade = school.grades[first.class_id]
        plan_id = writer.add(ThematicPlan, school_id=school.id, assignment_id=assignment_id, updated_at=timezone.now())
        index = 0
        topics = plan_topics(school.subjects[first.subject_id], grade, len(lessons), school.rng)
        for position, (title, hours, control) in enumerate(topics, start=1):
            topic_id = writer.add(PlannedTopic, school_id=school.id, plan_id=plan_id, position=position, title=title,
                                  hours=hours, is_control_work=control)  # fmt: skip
            for lesson in lessons[index : index + hours]:
                out[lesson.id] = (topic_id, title, control)
            index += hours
    writer.flush()
    return out


def _due_dates(year: list[_Lesson]) -> dict[int, dt.date]:
    """Homework is due at the assignment's next lesson (a week later after its last one)."""
    due = {}
    for lesson, after in zip(year, [*year[1:], None], strict=True):
        same = after is not None and after.assignment_id == lesson.assignment_id
        due[lesson.id] = after.date if after is not None and same else lesson.date + dt.timedelta(days=7)
    return due


def _month_rows(school: _School, lessons: list[_Lesson], topics, due) -> dict[type[models.Model], list[dict]]:
    """Rows of one month: lesson updates, notes, homework, attendance and marks."""
    rows: dict[type[models.Model], list[dict]] = defaultdict(list)
    kinds = {}
    for lesson in lessons:
        kinds[lesson.id] = _lesson_rows(school, lesson, topics[lesson.id], due[lesson.id], rows)
    day_lessons: dict[tuple[dt.date, int], list[_Lesson]] = defaultdict(list)
    for lesson in lessons:
        day_lessons[(lesson.date, lesson.class_id)].append(lesson)
    recorded: set[int] = set()
    for (day, class_id), todays in day_lessons.items():
        for student, start, end in school.enrolments.get(class_id, ()):
            if start <= day and (end is None or day <= end):
                mine = [ls for ls in todays if ls.subgroup_id is None or _member(school, ls, student)]
                if mine:
                    _student_day(school, student, day, mine, kinds, rows, recorded)
    for lesson in lessons:
        rows[Lesson].append({"id": lesson.id, "topic": topics[lesson.id][1], "has_records": lesson.id in recorded})
    return rows


def _member(school: _School, lesson: _Lesson, student: int) -> bool:
    members = school.members.get(lesson.subgroup_id, {}) if lesson.subgroup_id is not None else {}
    return _spans_cover(members.get(student, ()), lesson.date)


def _lesson_rows(school: _School, lesson: _Lesson, topic, due: dt.date, rows) -> str:
    """The note and homework of a lesson; return its kind of work: "control", "independent" or "answer"."""
    rng, subject = school.rng, school.subjects[lesson.subject_id]
    topic_id, _title, control = topic
    at = _stamp(lesson.date, lesson.number)
    rows[LessonNote].append({"school_id": school.id, "lesson_id": lesson.id, "is_control_work": control,
                             "planned_topic_id": topic_id, "topic_set_at": at})  # fmt: skip
    grade = school.grades[lesson.class_id]
    share = HOMEWORK_SHARE if subject not in (sp.PE, sp.MUSIC, sp.ART, sp.LABOUR) else 0.1
    if grade >= 2 and not control and rng.random() < share:
        rows[Homework].append({"school_id": school.id, "lesson_id": lesson.id, "school_class_id": lesson.class_id,
                               "text": homework_text(subject, rng), "due_date": due,
                               "created_by_id": lesson.teacher_id, "published_at": at, "updated_at": at})  # fmt: skip
    if control:
        return "control"
    return "independent" if grade >= 2 and rng.random() < INDEPENDENT_SHARE else "answer"


def _day_absence(school: _School, student: int, day: dt.date) -> str:
    """The code of a whole day away («б», «уп», «н») or "" for a day at school."""
    rng = school.rng
    if school.ill.get(student, 0) > 0:
        school.ill[student] -= 1
        return "б"
    if rng.random() < ILL_START["winter" if day.month in WINTER else "other"]:
        school.ill[student] = rng.randint(*ILL_DAYS) - 1
        return "б"
    chance = rng.random()
    if chance < EXCUSED_DAY:
        return "уп"
    return "н" if chance < EXCUSED_DAY + TRUANT_DAY else ""


def _student_day(school: _School, student: int, day: dt.date, lessons: list[_Lesson], kinds, rows, recorded) -> None:
    rng = school.rng
    whole_day = _day_absence(school, student, day)
    present = []
    for n, lesson in enumerate(lessons):
        code = whole_day or ("н" if rng.random() < SKIPPED_LESSON else "")
        late = not code and n == 0 and rng.random() < LATE_FIRST_LESSON
        if code or late:
            rows[Attendance].append(_attendance(school, lesson, student, code or "оп"))
            recorded.add(lesson.id)
        if not code:
            present.append(lesson)
    grade = school.grades[lessons[0].class_id]
    if grade < 2 or not present:
        return
    fixed = {"control": MARKED_IN_CONTROL_WORK, "independent": MARKED_IN_INDEPENDENT}
    budget = MARKS_PER_DAY - sum(fixed.get(kinds[ls.id], 0) for ls in present)
    answers = sum(1 for ls in present if kinds[ls.id] == "answer")
    answer_chance = max(0.0, min(1.0, budget / answers)) if answers else 0.0
    for lesson in present:
        kind = kinds[lesson.id]
        if rng.random() < fixed.get(kind, answer_chance):
            rows[Mark].append(_mark(school, lesson, student, kind, grade))
            recorded.add(lesson.id)


def _attendance(school: _School, lesson: _Lesson, student: int, code: str) -> dict:
    rng, at = school.rng, _stamp(lesson.date, lesson.number)
    row = {"school_id": school.id, "lesson_id": lesson.id, "student_id": student, "code": code,
           "late_minutes": rng.randint(3, 15) if code == "оп" else None, "created_by_id": lesson.teacher_id,
           "updated_at": at, "version": 1}  # fmt: skip
    if code in ("б", "уп"):
        notes = ILL_NOTES if code == "б" else EXCUSED_NOTES
        row.update(reason_note=rng.choice(notes), reason_set_by_id=school.class_teachers.get(lesson.class_id),
                   reason_set_at=min(_stamp(lesson.date, 8, days=rng.randint(0, 3)), _stamp(school.today, 8)))  # fmt: skip
        if row["reason_set_by_id"] is None:
            row.update(reason_set_by_id=lesson.teacher_id)
    return row


def _mark(school: _School, lesson: _Lesson, student: int, kind: str, grade: int) -> dict:
    rng = school.rng
    subject = school.subjects[lesson.subject_id]
    code = {"control": "test", "independent": "independent"}.get(kind, "answer")
    if kind == "control" and subject == sp.RUSSIAN and rng.random() < 0.5:
        code = "dictation"
    work_type_id, weight = school.work_types[code]
    harder = 0.2 if kind == "control" else 0.0
    value = min(5, max(2, round(school.level(student, lesson.subject_id) - harder + rng.gauss(0, MARK_SPREAD))))
    written_days = rng.randint(1, 3) if code != "answer" else 0
    at = min(_stamp(lesson.date, lesson.number, days=written_days), _stamp(school.today, lesson.number))
    term = school.term_of(grade, lesson.date)
    if term is not None:
        entry = school.term_marks.setdefault((student, lesson.class_id, lesson.subject_id, term.pk), [0, []])
        entry[0] = lesson.teacher_id
        entry[1].append((value, weight))
    return {"school_id": school.id, "lesson_id": lesson.id, "student_id": student, "value": value, "symbol": "",
            "work_type_id": work_type_id, "weight": weight, "comment": "", "created_by_id": lesson.teacher_id,
            "created_at": at, "updated_at": at, "version": 1, "client_token": None}  # fmt: skip


def _period_rows(school: _School, school_id: int) -> list[dict]:
    """Term marks of the finished terms: the suggestion from each student's weighted average, confirmed on the last day."""
    rules = rules_for(School(pk=school_id))
    finished = {t.pk: t for t in school.terms if t.ends_on < school.today}
    rows = []
    for (student, class_id, subject_id, term_id), (teacher, pairs) in school.term_marks.items():
        term = finished.get(term_id)
        if term is None:
            continue
        average = weighted_average(pairs, rules.average_decimals)
        value = suggest(average, rules) or "н/а"
        rows.append({"school_id": school_id, "year_id": school.year_id, "student_id": student,
                     "school_class_id": class_id, "subject_id": subject_id, "term_id": term_id,
                     "kind": PeriodKind.TERM, "value": value, "suggested": value, "average": average,
                     "confirmed_by_id": teacher, "confirmed_at": _stamp(term.ends_on, 8), "version": 1})  # fmt: skip
    return rows + _year_rows(school, school_id, rows, rules)


EXAM_RESULTS_AFTER = dt.timedelta(days=25)  # ОГЭ/ЕГЭ results reach the school about three weeks after the exams


def _year_rows(school: _School, school_id: int, term_rows: list[dict], rules) -> list[dict]:
    """Year marks of the grades whose last term has ended (the suggestion, confirmed on its last day); exam and
    final marks once the exam results are in (decision 0010). A demo built mid-year has none."""
    last_day = {grade: max((t.ends_on for t in school.terms if t.min_grade <= grade <= t.max_grade), default=None)
                for grade in set(school.grades.values())}  # fmt: skip
    names = {t.pk: str(t) for t in school.terms}
    ends = {t.pk: t.ends_on for t in school.terms}
    by_key: dict[tuple[int, int], list] = defaultdict(list)  # one year mark per student and subject (the unique key)
    for row in term_rows:
        by_key[(row["student_id"], row["subject_id"])].append(row)
    rows = []
    for (student, subject_id), terms in sorted(by_key.items()):
        terms.sort(key=lambda r: ends[r["term_id"]])
        class_id = terms[-1]["school_class_id"]  # a student moved mid-year is marked in the class of the last term
        grade = school.grades[class_id]
        end = last_day.get(grade)
        if end is None or end >= school.today:
            continue
        year = year_suggest([(names[r["term_id"]], r["value"]) for r in terms], rules).value
        if not year:
            continue
        teacher = terms[-1]["confirmed_by_id"]
        base = {"school_id": school_id, "year_id": school.year_id, "student_id": student, "school_class_id": class_id,
                "subject_id": subject_id, "term_id": None, "confirmed_by_id": teacher, "version": 1}  # fmt: skip
        rows.append({**base, "kind": PeriodKind.YEAR, "value": year, "suggested": year, "average": None,
                     "confirmed_at": _stamp(end, 9)})  # fmt: skip
        exams = sp.EXAM_SUBJECTS.get(grade, ())
        if end + EXAM_RESULTS_AFTER >= school.today:
            continue
        exam = ""
        if school.subjects.get(subject_id) in exams and year.isdigit():
            exam = str(min(5, max(2, int(year) + school.rng.choice((-1, 0, 0, 1)))))
            rows.append({**base, "kind": PeriodKind.EXAM, "value": exam, "suggested": "", "average": None,
                         "confirmed_at": _stamp(end + EXAM_RESULTS_AFTER, 10)})  # fmt: skip
        final = final_suggest(year=year, exam=exam, has_exam=bool(exam)).value
        if final:
            rows.append({**base, "kind": PeriodKind.FINAL, "value": final, "suggested": final, "average": None,
                         "confirmed_at": _stamp(end + EXAM_RESULTS_AFTER, 11)})  # fmt: skip
    return rows


def _closure_rows(school: _School, school_id: int) -> list[dict]:
    closer = (
        RoleAssignment.objects.filter(school_id=school_id, role=Role.DEPUTY_HEAD)
        .order_by("pk")
        .values_list("user_id", flat=True)
        .first()
    )
    if closer is None:
        return []
    return [
        {"school_id": school_id, "term_id": t.pk, "school_class_id": None, "closed_by_id": closer,
         "closed_at": _stamp(t.ends_on, 9)}
        for t in school.terms if t.ends_on < school.today
    ]  # fmt: skip


def _insert(model: type[models.Model], rows: list[dict]) -> int:
    """COPY on PostgreSQL; batched INSERT elsewhere (not bulk_create: it would stamp auto_now fields with now)."""
    if not rows:
        return 0
    if connection.vendor == "postgresql":
        return rows_insert(model, rows)
    fields = column_defaults(model, with_ids=False)
    stamps = {f.attname for f in model._meta.concrete_fields if isinstance(f, models.DateTimeField)}
    quote = connection.ops.quote_name
    columns = ", ".join(quote(column) for _, column, _ in fields)
    marks = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({marks})"  # noqa: S608 - names from the model
    params = [
        [_naive_utc(row.get(a, d)) if a in stamps else row.get(a, d) for a, _, d in fields] for row in rows
    ]  # fmt: skip
    with connection.cursor() as cursor:
        for start in range(0, len(params), SQLITE_BATCH):
            cursor.executemany(sql, params[start : start + SQLITE_BATCH])
    return len(rows)


def _naive_utc(value):
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.astimezone(dt.UTC).replace(tzinfo=None).isoformat(" ")
    return value


def _lessons_update(rows: list[dict]) -> None:
    """Write topics and `has_records` of many lessons: COPY into a temporary table and one UPDATE on PostgreSQL."""
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            cursor.executemany(
                "UPDATE timetable_lesson SET topic = %s, has_records = %s WHERE id = %s",
                [(r["topic"], r["has_records"], r["id"]) for r in rows],
            )
            return
        cursor.execute(
            "CREATE TEMPORARY TABLE IF NOT EXISTS demo_journal_lesson (id bigint, topic varchar(500), has_records bool)"
        )
        cursor.execute("TRUNCATE demo_journal_lesson")
        with cursor.cursor.copy("COPY demo_journal_lesson (id, topic, has_records) FROM STDIN") as copy:
            for r in rows:
                copy.write_row((r["id"], r["topic"], r["has_records"]))
        cursor.execute(
            "UPDATE timetable_lesson AS l SET topic = t.topic, has_records = t.has_records "
            "FROM demo_journal_lesson AS t WHERE l.id = t.id"
        )
