"""The one way change records enter the database: appended to their school's hash chain.

Two transactions appending to the same school's chain must not both read the same chain end: the
school's `ChainHead` row is locked (`SELECT … FOR UPDATE` on PostgreSQL; SQLite's immediate transactions
already serialize writers) from reading the end until the commit. One statement creates the head on a
school's first append and otherwise locks it and reads it: INSERT … ON CONFLICT DO UPDATE … RETURNING (the
conflict's update takes the row lock; a second writer waits for the first to commit, then reads its end).
So an append costs two queries more than the insert: the locking read and the head's update.
"""

from __future__ import annotations

import datetime as dt
from itertools import groupby

from django.db import connection, transaction
from django.utils import timezone

from ..chain import GENESIS, record_hash
from ..models import ChainHead, ChangeRecord


def change_records_append(rows: list[ChangeRecord]) -> list[ChangeRecord]:
    """Hash and insert `rows` (unsaved) at the end of their schools' chains; return them saved.

    Must run inside the caller's transaction (the journal's write); rows keep their order within a school.
    """
    if not rows:
        return rows
    now = timezone.now()
    with transaction.atomic(savepoint=False):
        for school_id, group in groupby(sorted(rows, key=lambda r: r.school_id), key=lambda r: r.school_id):
            _append(school_id, list(group), now)
    return rows


def _append(school_id: int, rows: list[ChangeRecord], now: dt.datetime) -> None:
    head = _locked_head(school_id)
    prev = head.last_hash
    for row in rows:
        row.at = now
        row.prev_hash = prev
        row.hash = prev = record_hash(row.__dict__, prev)
    ChangeRecord.objects.bulk_create(rows)
    ChainHead.objects.filter(pk=school_id).update(last_id=rows[-1].pk, last_hash=prev, length=head.length + len(rows))


_LOCK_HEAD = (
    "INSERT INTO journal_chainhead (school_id, last_id, last_hash, length) VALUES (%s, NULL, %s, 0) "
    "ON CONFLICT (school_id) DO UPDATE SET length = journal_chainhead.length RETURNING last_hash, length"
)


def _locked_head(school_id: int) -> ChainHead:
    with connection.cursor() as cursor:
        cursor.execute(_LOCK_HEAD, [school_id, GENESIS])
        last_hash, length = cursor.fetchone()
    return ChainHead(school_id=school_id, last_hash=last_hash, length=length)
