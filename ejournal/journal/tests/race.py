"""Two sessions of one teacher typing into the same empty cells at the same moment, through the HTTP layer.

Used by `test_cell_race.py` and by `bench/cell_race.py`. Each writer is a thread with its own Django test
`Client` (and so its own database connection); a `threading.Barrier` starts both posts of a pair together.
A pair is a single cell or a pasted column (the same empty cells sent by both writers with different values).
"""

from __future__ import annotations

import json
import threading
from collections import Counter
from dataclasses import dataclass, field

from django.db import connection
from django.test import Client
from django.urls import reverse

from ejournal.access.roles import Role
from ejournal.testing import login, make_student

from ..models import Mark
from .helpers import MON, journal, lesson

STUDENTS = 10
LESSONS = 10
COLUMN = 2  # students in a pasted column of a pair
VALUES = ("5", "4")  # what the first and the second writer type
PAIR_TIMEOUT = 60  # seconds a writer waits for the other at a barrier


@dataclass
class RaceResult:
    pairs: int = 0
    conflicts: int = 0  # pairs with one 200 and one 409
    doubled: int = 0  # cells holding more than one mark after a pair
    wrong: list[str] = field(default_factory=list)  # every pair that was not exactly one 200, one 409, winner's marks
    statuses: Counter = field(default_factory=Counter)


@dataclass
class RaceJournal:
    url: str
    students: list[int]
    lessons: list[int]
    clients: tuple[Client, Client]


def race_journal(world, *, lessons: int = LESSONS) -> RaceJournal:
    """A maths journal of 5 «А» with `lessons` lessons on Monday and `STUDENTS` students; two signed-in sessions."""
    for n in range(STUDENTS - world.cls.students.count()):
        make_student(world.cls, f"Гонкин{n:02d}", "Тест")
    a, _days = journal(world, days=())
    days = [lesson(world, a, MON, number) for number in range(1, lessons + 1)]
    term = world.school.terms.get(number=1)
    url = reverse("journal:cells", kwargs={"assignment_id": a.pk, "term_id": term.pk})
    students = sorted(world.cls.students.values_list("pk", flat=True))[:STUDENTS]
    clients = (login(Client(), world.teacher, Role.CLASS_TEACHER), login(Client(), world.teacher, Role.CLASS_TEACHER))
    return RaceJournal(url, students, [day.pk for day in days], clients)


def race_pairs(journal_: RaceJournal, *, column: bool, count: int) -> list[list[tuple[int, int]]]:
    """`count` pairs of distinct empty cells: one (student, lesson) each, or a column piece of `COLUMN` students."""
    if column:
        pieces = [
            [(sid, lid) for sid in journal_.students[start : start + COLUMN]]
            for lid in journal_.lessons
            for start in range(0, len(journal_.students), COLUMN)
        ]
    else:
        pieces = [[(sid, lid)] for lid in journal_.lessons for sid in journal_.students]
    if count > len(pieces):
        raise ValueError(f"at most {len(pieces)} pairs of empty cells")
    return pieces[:count]


def _post(client: Client, url: str, cells: list[tuple[int, int]], text: str, token: str):
    payload = [
        {"student": sid, "lesson": lid, "text": text, "att": 0, "marks": "", "token": f"{token}-{sid}-{lid}"}
        for sid, lid in cells
    ]
    return client.post(url, {"cells": json.dumps(payload)}, HTTP_HX_REQUEST="true")


def race_run(journal_: RaceJournal, pairs: list[list[tuple[int, int]]]) -> RaceResult:
    """Post each pair from both sessions at once; check every pair's answers and cells."""
    barrier = threading.Barrier(2, timeout=PAIR_TIMEOUT)
    answers: list[list[int | None]] = [[None, None] for _pair in pairs]
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            for p, cells in enumerate(pairs):
                barrier.wait()  # both writers post this pair's cells together
                answers[p][n] = _post(journal_.clients[n], journal_.url, cells, VALUES[n], f"w{n}p{p}").status_code
                barrier.wait()  # the pair is over for both before the next one starts
        except BaseException as exc:
            errors.append(exc)
            barrier.abort()
        finally:
            connection.close()  # this thread's own connection

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return _check(pairs, answers)


def _check(pairs, answers) -> RaceResult:
    result = RaceResult(pairs=len(pairs))
    found: dict[tuple[int, int], list[int | None]] = {}
    keys = {key for cells in pairs for key in cells}
    for sid, lid, value in Mark.objects.filter(
        lesson_id__in={lid for _sid, lid in keys}, student_id__in={sid for sid, _lid in keys}
    ).values_list("student_id", "lesson_id", "value"):
        found.setdefault((sid, lid), []).append(value)
    for p, (cells, statuses) in enumerate(zip(pairs, answers, strict=True)):
        result.statuses.update(statuses)
        result.doubled += sum(1 for key in cells if len(found.get(key, [])) > 1)
        if sorted(statuses) != [200, 409]:
            result.wrong.append(f"pair {p}: answers {statuses}, cells {[found.get(key) for key in cells]}")
            continue
        result.conflicts += 1
        winner = int(VALUES[statuses.index(200)])
        if any(found.get(key) != [winner] for key in cells):
            result.wrong.append(f"pair {p}: winner {winner}, cells {[found.get(key) for key in cells]}")
    return result
