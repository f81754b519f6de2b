"""The hash of one change record in its school's chain. Standard library only.

The archive's verifier (`python -m ejournal.archive.verify`) imports this module without Django, so an
inspector recomputes the same hashes from the archive's machine copy that `manage.py journal_verify`
recomputes from the database. Change the canonical form only together with `CHAIN_VERSION` and a data
migration that rehashes every chain.

The canonical form is the record's fields (not its id: a row's place is proven by the link to the
previous hash) as compact JSON with sorted keys, `at` in UTC with microseconds, ids as integers or null.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

CHAIN_VERSION = 1
GENESIS = "0" * 64
FIELDS = (
    "school_id", "entity", "entity_id", "action", "lesson_id", "student_id", "term_id", "field", "old", "new",
    "actor_id", "actor_role", "at", "reason", "correction_request_id", "is_late",
)  # fmt: skip


def at_text(value: dt.datetime | str) -> str:
    """`at` as the chain writes it: UTC, microseconds, a trailing Z (a string is taken as already written)."""
    if isinstance(value, str):
        return value
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def record_hash(fields: dict[str, Any], prev_hash: str) -> str:
    """SHA-256 (hex) of the record's canonical fields and the previous record's hash."""
    canonical = {name: fields[name] for name in FIELDS}
    canonical["at"] = at_text(canonical["at"])
    canonical["is_late"] = bool(canonical["is_late"])
    canonical["prev"] = prev_hash
    canonical["v"] = CHAIN_VERSION
    payload = json.dumps(canonical, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()
