"""A phone app that sends the same cells twice at once (a retry racing its original): one mark per cell, and
both answers 200 (never a 409 for the app's own retry, never a doubled mark).

Real connections (`transaction=True`), two threads started together by a barrier, through the API and the
grid's service. Note: the outcome holds without the client token too (checked on PostgreSQL: the second
writer finds the cell already holding what it sends and leaves it alone); the token matters inside the
service's retry after a lost insert race, which `journal/tests/test_cell_race.py` exercises.
"""

import threading

import pytest
from django.test import Client

from ejournal.access.roles import Role
from ejournal.journal.models import Mark
from ejournal.testing import build_world
from ejournal.timetable.tests.helpers import MON, assignment, lesson

from .helpers import bearer, direct_token, person_app
from .test_api import LESSON_DAY

PAIRS = 8


@pytest.mark.django_db(transaction=True)
def test_a_retry_racing_its_original_makes_one_mark_and_both_succeed():
    import time_machine

    world = build_world()
    a = assignment(world)
    days = [lesson(world, a, MON, number) for number in range(1, PAIRS + 1)]
    url = f"/api/v1/staff/journals/{a.pk}/terms/{world.school.terms.get(number=1).pk}/cells"
    headers = bearer(direct_token(person_app(skip=True), world.teacher), Role.CLASS_TEACHER)
    statuses: list[int] = []
    with time_machine.travel(LESSON_DAY, tick=False):
        for day in days:
            body = {
                "cells": [{"student_id": world.student.pk, "lesson_id": day.pk, "text": "5", "token": f"t-{day.pk}"}]
            }
            barrier = threading.Barrier(2, timeout=30)

            def send(body=body, barrier=barrier):
                from django.db import connection

                try:
                    barrier.wait()
                    statuses.append(Client().post(url, body, content_type="application/json", **headers).status_code)
                finally:
                    connection.close()

            threads = [threading.Thread(target=send) for _ in range(2)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
    assert statuses == [200] * (2 * PAIRS)
    assert sorted(Mark.objects.values_list("lesson_id", flat=True)) == sorted(d.pk for d in days)
