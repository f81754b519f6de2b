"""The archive's machine copy: its tables and columns (schema «ejournal-archive/1»). Standard library only.

The verifier imports this module without Django; docs/archive-schema.md describes the same tables for people.
Each table is written twice: `data/<table>.csv` (UTF-8, comma, header row, empty cell for null) and
`data/<table>.json` ({"table", "columns", "rows": [[…], …]}, typed values: integers, strings, null, booleans).
"""

from __future__ import annotations

SCHEMA = "ejournal-archive/1"
MANIFEST = "manifest.sha256"
DESCRIPTION = "archive.json"
# Written when the print journals are removed at the end of their retention (the rest is kept longer):
# {"removed_on": "YYYY-MM-DD", "kind": "journal", "files": {path: sha256, ...}}; not in the manifest.
RETENTION = "retention.json"
RETENTION_PREFIX = {"journal": "journals/"}

# table → (column, type); types: int, str, bool, date (YYYY-MM-DD), datetime (UTC, …Z)
TABLES: dict[str, tuple[tuple[str, str], ...]] = {
    "classes": (("id", "int"), ("grade", "int"), ("letter", "str"), ("class_teacher", "str")),
    "subjects": (("id", "int"), ("name", "str"), ("short_name", "str")),
    "students": (
        ("id", "int"), ("class_id", "int"), ("last_name", "str"), ("first_name", "str"), ("middle_name", "str"),
        ("record_number", "str"), ("enrolled_from", "date"), ("enrolled_to", "date"),
    ),
    "lessons": (
        ("id", "int"), ("class_id", "int"), ("subject_id", "int"), ("subgroup", "str"), ("teacher", "str"),
        ("date", "date"), ("number", "int"), ("status", "str"), ("topic", "str"), ("homework", "str"),
    ),
    "marks": (
        ("id", "int"), ("lesson_id", "int"), ("student_id", "int"), ("value", "str"), ("work_type", "str"),
        ("weight", "str"), ("comment", "str"),
    ),
    "attendance": (
        ("id", "int"), ("lesson_id", "int"), ("student_id", "int"), ("code", "str"), ("late_minutes", "int"),
        ("reason", "str"),
    ),
    "period_marks": (
        ("id", "int"), ("class_id", "int"), ("subject_id", "int"), ("student_id", "int"), ("kind", "str"),
        ("term", "int"), ("value", "str"),
    ),
    "change_records": (
        ("id", "int"), ("school_id", "int"), ("entity", "str"), ("entity_id", "int"), ("action", "str"),
        ("lesson_id", "int"), ("student_id", "int"), ("term_id", "int"), ("field", "str"), ("old", "str"),
        ("new", "str"), ("actor_id", "int"), ("actor_role", "str"), ("at", "datetime"), ("reason", "str"),
        ("correction_request_id", "int"), ("is_late", "bool"), ("prev_hash", "str"), ("hash", "str"),
    ),
    "anchors": (("day", "date"), ("last_id", "int"), ("hash", "str"), ("length", "int")),
}  # fmt: skip


def csv_text(value) -> str:
    """A typed value as its CSV cell: null empty, booleans 1/0, the rest as text."""
    if value is None:
        return ""
    if value is True:
        return "1"
    if value is False:
        return "0"
    return str(value)
