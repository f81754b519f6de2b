"""The change records' hash chain per school: appends link, journal_verify names the first breach, anchors pin it."""

from __future__ import annotations

import importlib
import threading
from io import StringIO

import pytest
from django.apps import apps as django_apps
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, connections, transaction

from ejournal.testing import build_world

from ..chain import GENESIS, record_hash
from ..models import ChainAnchor, ChainCheck, ChainHead, ChangeRecord, Mark
from ..services import mark_delete, mark_set
from ..verify import anchors_take, school_verify
from .helpers import MON, at, journal, teacher


def tamper(sql: str, params=()) -> None:
    """Run SQL as an intruder with direct database access would: past the PostgreSQL trigger (a superuser can)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")  # triggers off for this session
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = origin")


def _marks(world, values=(5, 4, 3)):
    _a, (day,) = journal(world)
    with at(MON):
        return [mark_set(lesson=day, student=world.student, value=v, actor=teacher(world)) for v in values]


def _verify(*args) -> str:
    out = StringIO()
    call_command("journal_verify", *args, stdout=out)
    return out.getvalue()


def test_each_record_carries_the_previous_records_hash_and_its_own(world):
    _marks(world)
    records = list(ChangeRecord.objects.filter(school=world.school).order_by("id").values())
    assert len(records) == 6  # value and work type of each of the three marks
    prev = GENESIS
    for row in records:
        assert row["prev_hash"] == prev
        assert row["hash"] == record_hash(row, prev)
        prev = row["hash"]
    head = ChainHead.objects.get(pk=world.school.pk)
    assert (head.last_id, head.last_hash, head.length) == (records[-1]["id"], prev, 6)
    assert "ok, 6 records" in _verify()
    assert ChainCheck.objects.get(pk=world.school.pk).ok


def test_a_mark_changed_in_sql_is_named_by_journal_verify(world):
    _first, second, _third = _marks(world)
    tamper("UPDATE journal_mark SET value = 2 WHERE id = %s", [second.pk])
    record = ChangeRecord.objects.get(entity="mark", entity_id=second.pk, field="value")
    with pytest.raises(CommandError, match=f"record {record.pk}"):
        _verify()
    check = ChainCheck.objects.get(pk=world.school.pk)
    assert (check.ok, check.breach_entity, check.breach_entity_id, check.breach_record_id) == (
        False, "mark", second.pk, record.pk)  # fmt: skip
    assert f"отметка № {second.pk} изменена вне системы" in check.breach


def test_a_change_record_edited_or_deleted_in_sql_breaks_the_chain_there(world):
    _marks(world)
    ids = list(ChangeRecord.objects.order_by("id").values_list("id", flat=True))
    was = ChangeRecord.objects.get(pk=ids[2]).new
    tamper("UPDATE journal_changerecord SET new = '1' WHERE id = %s", [ids[2]])
    assert school_verify(world.school.pk).record_id == ids[2]
    tamper("UPDATE journal_changerecord SET new = %s WHERE id = %s", [was, ids[2]])  # back as it was
    assert school_verify(world.school.pk).ok
    tamper("DELETE FROM journal_changerecord WHERE id = %s", [ids[3]])
    assert school_verify(world.school.pk).record_id == ids[4]
    tamper("DELETE FROM journal_changerecord WHERE id >= %s", [ids[3]])  # the tail: the head names it
    assert "последние записи" in school_verify(world.school.pk).breach


def test_a_deleted_mark_that_reappears_is_a_breach(world):
    mark = _marks(world, values=(5,))[0]
    with at(MON):
        mark_delete(mark=mark, expected_version=mark.version, actor=teacher(world))
    assert school_verify(world.school.pk).ok
    tamper(
        "INSERT INTO journal_mark (id, school_id, lesson_id, student_id, value, symbol, work_type_id, weight, comment, "
        "created_by_id, created_at, updated_at, version, slot) VALUES (%s, %s, %s, %s, 5, '', %s, 1, '', %s, "
        "'2026-09-07 09:00:00+00', '2026-09-07 09:00:00+00', 1, 0)",
        [mark.pk, mark.school_id, mark.lesson_id, mark.student_id, mark.work_type_id, mark.created_by_id],
    )
    assert school_verify(world.school.pk).entity_id == mark.pk


def test_an_anchor_pins_the_chain_a_rewrite_of_the_whole_chain_does_not_match_it(world):
    _marks(world)
    assert anchors_take() == 1
    anchor = ChainAnchor.objects.get(school=world.school)
    assert (anchor.last_id, anchor.length) == (ChangeRecord.objects.order_by("id").last().pk, 6)
    # an intruder who recomputes every hash after an edit and moves the head along: only the anchor tells
    tamper("UPDATE journal_changerecord SET hash = %s WHERE id = %s", ["f" * 64, anchor.last_id])
    tamper("UPDATE journal_chainhead SET last_hash = %s", ["f" * 64])
    result = school_verify(world.school.pk)
    assert result.record_id == anchor.last_id


def test_the_migration_chains_records_written_before_the_chain(world):
    _marks(world)
    tamper("UPDATE journal_changerecord SET prev_hash = '', hash = ''")
    tamper("DELETE FROM journal_chainhead")
    assert not school_verify(world.school.pk).ok
    migration = importlib.import_module("ejournal.journal.migrations.0008_change_record_chain_backfill")
    # migration 0008 runs before 0009 creates the PostgreSQL trigger; here the trigger is already there
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")
        migration.chain_existing(django_apps, None)
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = origin")
    assert school_verify(world.school.pk).ok
    assert ChainHead.objects.get(pk=world.school.pk).length == 6


@pytest.mark.django_db(transaction=True)
def test_two_writers_at_a_barrier_append_one_after_the_other_to_one_chain():
    """Two real connections append to one school's chain at once: one waits for the other, no fork."""
    world = build_world()
    _a, (day,) = journal(world)
    barrier, errors = threading.Barrier(2, timeout=30), []

    def write(student, value):
        try:
            # PostgreSQL: both transactions are open before either appends. SQLite's IMMEDIATE transaction takes
            # the write lock at its start, so there the writers meet before it.
            if connection.vendor != "postgresql":
                barrier.wait()
            with at(MON), transaction.atomic():
                if connection.vendor == "postgresql":
                    barrier.wait()
                mark_set(lesson=day, student=student, value=value, actor=teacher(world))
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connections.close_all()

    for _round in range(5):
        threads = [threading.Thread(target=write, args=(s, v)) for s, v in ((world.student, 5), (world.classmate, 4))]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert errors == []
    assert Mark.objects.count() == 10
    result = school_verify(world.school.pk)
    assert (result.ok, result.records) == (True, 20), result.breach
    assert ChainHead.objects.get(pk=world.school.pk).length == 20


@pytest.mark.postgresql
def test_postgresql_refuses_update_and_delete_of_change_records(world):
    _marks(world, values=(5,))
    record = ChangeRecord.objects.first()
    for sql in (
        "UPDATE journal_changerecord SET new = '2' WHERE id = %s",
        "DELETE FROM journal_changerecord WHERE id = %s",
    ):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [record.pk])
    assert ChangeRecord.objects.get(pk=record.pk).new == "5"
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        ChangeRecord.objects.filter(pk=record.pk).update(new="2")


def test_change_records_enter_only_through_the_chain():
    """A write path inserting change records itself would leave them out of the school's chain (seen once:
    «Принять предложенные годовые» bulk-created its records directly)."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    direct = re.compile(r"ChangeRecord\.objects\.(bulk_create|create|get_or_create|update_or_create)\(")
    offenders = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if "tests" not in path.parts and "migrations" not in path.parts and path.name != "chain.py"
        if direct.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
