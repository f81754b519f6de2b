"""Verify the journal against its change records: the hash chains, the anchors, and the marks' current values.

A school's journal is intact when
- every change record's `prev_hash` is the hash of the school's previous record (in id order) and its
  `hash` is the hash of its own fields (`chain.record_hash`): an edited, deleted or inserted record breaks it;
- the chain ends where its head says, and every stored anchor names a record with that hash;
- every mark whose history is in the chain has the value its last record says (or is gone, if that
  record deleted it): a mark changed in SQL without a record is named by its id.
Marks without any record (loaded by an import or the demo) are not judged: there is nothing to compare.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from .chain import FIELDS, GENESIS, record_hash
from .models import ChainAnchor, ChainCheck, ChainHead, ChangeRecord, Mark

CHUNK = 10_000


@dataclass
class ChainResult:
    school_id: int
    records: int = 0
    record_id: int | None = None
    entity: str = ""
    entity_id: int | None = None
    breach: str = ""

    @property
    def ok(self) -> bool:
        return not self.breach


def school_verify(school_id: int) -> ChainResult:
    """Walk one school's chain and its marks; return the first breach (or none)."""
    result = ChainResult(school_id=school_id)
    last_value: dict[int, tuple[int, str, str]] = {}  # mark id → (record id, action, new)
    prev, last_id = GENESIS, None
    rows = ChangeRecord.objects.filter(school_id=school_id).order_by("id").values("id", "prev_hash", "hash", *FIELDS)
    for row in rows.iterator(chunk_size=CHUNK):
        result.records += 1
        if row["prev_hash"] != prev or row["hash"] != record_hash(row, prev):
            return _breach(result, row["id"], "change_record", row["id"], _(
                "запись истории изменений № %(id)s изменена, удалена или вставлена вне системы "
                "(её хеш не сходится с цепочкой)") % {"id": row["id"]})  # fmt: skip
        if row["entity"] == "mark" and row["field"] == "value":
            last_value[row["entity_id"]] = (row["id"], row["action"], row["new"])
        prev, last_id = row["hash"], row["id"]
    return _check_end(result, prev, last_id) or _check_marks(result, last_value) or result


def _breach(result: ChainResult, record_id, entity: str, entity_id, message: str) -> ChainResult:
    result.record_id, result.entity, result.entity_id, result.breach = record_id, entity, entity_id, message
    return result


def _check_end(result: ChainResult, prev: str, last_id: int | None) -> ChainResult | None:
    head = ChainHead.objects.filter(pk=result.school_id).first()
    if head is not None and (head.last_hash != prev or head.last_id != last_id):
        return _breach(result, last_id, "change_record", head.last_id, _(
            "последние записи истории изменений удалены вне системы: цепочка кончается записью № %(last)s, "
            "а должна записью № %(head)s") % {"last": last_id or "—", "head": head.last_id or "—"})  # fmt: skip
    hashes = dict(
        ChangeRecord.objects.filter(
            school_id=result.school_id, id__in=ChainAnchor.objects.filter(school_id=result.school_id).values("last_id")
        ).values_list("id", "hash")
    )
    for anchor in ChainAnchor.objects.filter(school_id=result.school_id, last_id__isnull=False).order_by("day"):
        if anchor.last_id is None or hashes.get(anchor.last_id) != anchor.hash:
            return _breach(result, anchor.last_id, "change_record", anchor.last_id, _(
                "цепочка не сходится с отметкой от %(day)s: запись № %(id)s изменена вне системы")
                % {"day": anchor.day.strftime("%d.%m.%Y"), "id": anchor.last_id})  # fmt: skip
    return None


def _check_marks(result: ChainResult, last_value: dict[int, tuple[int, str, str]]) -> ChainResult | None:
    current: dict[int, str] = {}
    ids = sorted(last_value)
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        for pk, value, symbol in Mark.objects.filter(pk__in=chunk).values_list("pk", "value", "symbol"):
            current[pk] = str(value) if value is not None else symbol
    for mark_id in ids:
        record_id, action, new = last_value[mark_id]
        if action == ChangeRecord.Action.DELETE:
            if mark_id in current:
                return _breach(result, record_id, "mark", mark_id, _(
                    "отметка № %(mark)s удалена по записи № %(record)s, но снова есть в журнале")
                    % {"mark": mark_id, "record": record_id})  # fmt: skip
        elif current.get(mark_id) != new:
            return _breach(result, record_id, "mark", mark_id, _(
                "отметка № %(mark)s изменена вне системы: по записи № %(record)s она «%(new)s», в журнале «%(now)s»")
                % {"mark": mark_id, "record": record_id, "new": new, "now": current.get(mark_id, "—")})  # fmt: skip
    return None


def schools_verify(school_ids: Iterable[int] | None = None) -> list[ChainResult]:
    """Verify the given schools (all with a chain when None) and keep each result for the deputy head's page."""
    if school_ids is None:
        school_ids = ChainHead.objects.order_by("pk").values_list("pk", flat=True)
    results = []
    for school_id in list(school_ids):
        result = school_verify(school_id)
        ChainCheck.objects.update_or_create(school_id=school_id, defaults={
            "checked_at": timezone.now(), "ok": result.ok, "records": result.records,
            "breach_record_id": result.record_id, "breach_entity": result.entity,
            "breach_entity_id": result.entity_id, "breach": result.breach[:500],
        })  # fmt: skip
        results.append(result)
    return results


def anchors_take(day=None) -> int:
    """Store today's end of every school's chain (one anchor per school and day; a rerun keeps the first)."""
    day = day or timezone.localdate()
    anchors = [
        ChainAnchor(school_id=h.school_id, day=day, last_id=h.last_id, hash=h.last_hash, length=h.length)
        for h in ChainHead.objects.order_by("pk")
    ]
    ChainAnchor.objects.bulk_create(anchors, ignore_conflicts=True)
    return len(anchors)
