"""Two sessions typing into the same empty cell at once: one is saved, the other gets the conflict answer (409).

Real connections through the HTTP layer (`race.py`): on PostgreSQL the database's unique index on the cell's
slot decides; on SQLite the IMMEDIATE transactions serialise the writers. Both run the same test.
"""

import pytest
from django.db import connection

from ejournal.testing import build_world

from .helpers import MON, at
from .race import race_journal, race_pairs, race_run


def _pairs() -> int:
    return 50 if connection.vendor == "postgresql" else 12


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("several", [True, False], ids=["several-marks", "one-mark-per-lesson"])
@pytest.mark.parametrize("column", [False, True], ids=["one-cell", "pasted-column"])
def test_two_first_writes_into_one_empty_cell_give_one_mark_and_one_conflict(settings, several, column):
    settings.EJ_JOURNAL_RULES = {"allow_several_marks_per_lesson": several}
    world = build_world()
    journal_ = race_journal(world)
    pairs = race_pairs(journal_, column=column, count=_pairs())
    with at(MON):
        result = race_run(journal_, pairs)
    assert result.pairs == len(pairs) >= 12
    assert result.wrong == [], "\n".join(result.wrong[:10])
    assert (result.conflicts, result.doubled) == (len(pairs), 0)
    assert result.statuses == {200: len(pairs), 409: len(pairs)}


@pytest.mark.django_db(transaction=True)
def test_the_migration_numbers_the_marks_of_each_cell_in_the_order_the_journal_shows_them():
    from django.db.migrations.executor import MigrationExecutor

    from ejournal.journal.services.setup import work_types_ensure

    from .helpers import journal

    world = build_world()
    _a, (day,) = journal(world)
    answer = work_types_ensure(world.school)["answer"]
    before, after = [("journal", "0005_correction_current_seen")], [("journal", "0006_mark_cell_slot")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    try:
        old = executor.loader.project_state(before).apps.get_model("journal", "Mark")
        common = {"school_id": world.school.pk, "lesson_id": day.pk, "work_type_id": answer.pk, "weight": 1,
                  "created_by_id": world.teacher.pk}  # fmt: skip
        made = [old.objects.create(student_id=world.student.pk, value=v, **common).pk for v in (5, 4, 3)]
        alone = old.objects.create(student_id=world.classmate.pk, value=2, **common).pk
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(after)
    from ..models import Mark

    slots = dict(Mark.objects.values_list("pk", "slot"))
    # back to the latest schema: the tests after this one write change records into the hash chain (0007+)
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert [slots[pk] for pk in made] == [0, 1, 2] and slots[alone] == 0
