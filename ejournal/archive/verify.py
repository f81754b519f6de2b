"""Verify an archive without the system: `python -m ejournal.archive.verify DIR_OR_ZIP`. Standard library only.

No Django, no database: an inspector with Python 3.11 and this package's three stdlib-only modules
(`archive/verify.py`, `archive/schema.py`, `journal/chain.py`) checks
1. the manifest: every file listed with its SHA-256, none missing, none extra, no path leaving the archive —
   except print journals that `retention.json` records as removed at the end of their retention, on a day
   after the retention `archive.json` states for them;
2. the machine copy: each table's CSV and JSON have the schema's columns, the same rows in the same order,
   the counts `archive.json` states, typed values, and marks/attendance that point at archived lessons and
   students;
3. the change records' chain: each record's hash recomputed from its fields and the previous hash, linked
   from the hash `archive.json` names as the chain's start to the one it names as its end, and every
   archived anchor that falls in the segment matching it;
4. the marks against their history: a mark whose last «value» record is in the archive has that value.
Exit status 0 when all hold, 1 with one line per problem (the first 50) otherwise, 2 on bad usage.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
import sys
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path

from ejournal.archive.schema import DESCRIPTION, MANIFEST, RETENTION, RETENTION_PREFIX, SCHEMA, TABLES, csv_text
from ejournal.journal.chain import record_hash

LINE = re.compile(r"^([0-9a-f]{64})  (\S.*)$")
LIMIT = 50


class Problems(list):
    def add(self, text: str) -> None:
        self.append(text)


def verify(root: Path) -> Problems:
    """Check the archive unpacked at `root`; return the problems found (empty: the archive is intact)."""
    problems = Problems()
    if not _manifest(root, problems):
        return problems
    try:
        description = json.loads((root / DESCRIPTION).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        problems.add(f"{DESCRIPTION}: unreadable ({exc})")
        return problems
    if description.get("schema") != SCHEMA:
        problems.add(f"{DESCRIPTION}: schema {description.get('schema')!r}, expected {SCHEMA!r}")
        return problems
    keys = _tables(root, description, problems)
    if not problems:
        _chain(root, description, problems)
        _marks_history(root, keys, problems)
    return problems


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def _manifest(root: Path, problems: Problems) -> bool:
    try:
        lines = (root / MANIFEST).read_text(encoding="utf-8").splitlines()
    except OSError:
        problems.add(f"{MANIFEST}: missing")
        return False
    removed = _removed(root, problems)
    listed = set()
    for n, line in enumerate(lines, 1):
        match = LINE.match(line)
        if not match or ".." in Path(match.group(2)).parts or match.group(2).startswith("/"):
            problems.add(f"{MANIFEST} line {n}: not «<sha256>  <relative path>»")
            continue
        digest, path = match.groups()
        listed.add(path)
        if not (root / path).is_file() and removed.get(path) == digest:
            continue
        if not (root / path).is_file():
            problems.add(f"{path}: listed in the manifest, missing")
        elif _sha256(root / path) != digest:
            problems.add(f"{path}: SHA-256 does not match the manifest (the file was changed)")
    present = {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()} - {MANIFEST, RETENTION}
    for path in sorted(present - listed):
        problems.add(f"{path}: not in the manifest")
    return not problems


def _removed(root: Path, problems: Problems) -> dict[str, str]:
    """The files `retention.json` records as removed at the end of their retention, if that end had passed."""
    if not (root / RETENTION).is_file():
        return {}
    try:
        record = json.loads((root / RETENTION).read_text(encoding="utf-8"))
        until = json.loads((root / DESCRIPTION).read_text(encoding="utf-8"))["retention_until"][record["kind"]]
        removed_on, files, prefix = record["removed_on"], dict(record["files"]), RETENTION_PREFIX[record["kind"]]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        problems.add(f"{RETENTION}: unreadable ({exc!r})")
        return {}
    if not str(removed_on) > str(until):
        problems.add(f"{RETENTION}: files removed on {removed_on}, but they are kept until {until}")
        return {}
    if any(not path.startswith(prefix) for path in files):
        problems.add(f"{RETENTION}: lists files other than {prefix}")
        return {}
    return files


def _json_rows(path: Path, table: str, columns: list[str], problems: Problems) -> Iterator[list]:
    """The rows of a table's JSON, one per line as the archive writes them; the whole file must parse as JSON."""
    with path.open(encoding="utf-8") as f:
        head = f.readline()
        expected = f'{{"table": {json.dumps(table)}, "columns": {json.dumps(columns)}, "rows": ['
        if head.rstrip("\n") != expected:
            problems.add(f"{path.name}: header is not the schema's ({table}: {', '.join(columns)})")
            return
        for line in f:
            text = line.rstrip("\n").rstrip(",")
            if text in ("", "]}"):
                continue
            try:
                yield json.loads(text)
            except ValueError:
                problems.add(f"{path.name}: a row is not valid JSON")
                return


def _typed(value, kind: str) -> bool:
    if value is None:
        return True
    return {"int": lambda v: isinstance(v, int) and not isinstance(v, bool), "bool": lambda v: isinstance(v, bool)}.get(
        kind, lambda v: isinstance(v, str)
    )(value)


def _tables(root: Path, description: dict, problems: Problems) -> dict:
    keys: dict[str, object] = {"lessons": set(), "students": set(), "marks": {}}
    for table, spec in TABLES.items():
        columns, kinds = [c for c, _k in spec], [k for _c, k in spec]
        csv_path, json_path = root / "data" / f"{table}.csv", root / "data" / f"{table}.json"
        if not csv_path.is_file() or not json_path.is_file():
            problems.add(f"data/{table}: CSV or JSON missing")
            continue
        count = _table(csv_path, json_path, table, columns, kinds, keys, problems)
        stated = description.get("rows", {}).get(table)
        if count is not None and stated != count:
            problems.add(f"data/{table}: {count} rows, {DESCRIPTION} states {stated}")
    return keys


def _table(csv_path, json_path, table, columns, kinds, keys, problems) -> int | None:
    with csv_path.open(encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        if next(reader, None) != columns:
            problems.add(f"data/{table}.csv: header is not the schema's")
            return None
        count = 0
        json_rows = _json_rows(json_path, table, columns, problems)
        for count, (row, typed) in enumerate(_pairs(reader, json_rows, table, problems), 1):
            if len(typed) != len(columns) or not all(_typed(v, k) for v, k in zip(typed, kinds, strict=False)):
                problems.add(f"data/{table}.json row {count}: values do not fit the schema's columns")
                return count
            if [csv_text(v) for v in typed] != row:
                problems.add(f"data/{table} row {count} (id {typed[0]}): the CSV and the JSON differ")
                return count
            _collect(table, dict(zip(columns, typed, strict=True)), keys, problems)
        return count


def _pairs(reader, json_rows, table, problems):
    sentinel = object()
    for row in reader:
        typed = next(json_rows, sentinel)
        if typed is sentinel:
            problems.add(f"data/{table}: the CSV has more rows than the JSON")
            return
        yield row, typed
    if next(json_rows, sentinel) is not sentinel:
        problems.add(f"data/{table}: the JSON has more rows than the CSV")


def _collect(table: str, row: dict, keys: dict, problems: Problems) -> None:
    if table in ("lessons", "students"):
        keys[table].add(row["id"])
    elif table in ("marks", "attendance"):
        if row["lesson_id"] not in keys["lessons"] or row["student_id"] not in keys["students"]:
            problems.add(f"data/{table} id {row['id']}: its lesson or student is not in the archive")
        if table == "marks":
            keys["marks"][row["id"]] = row["value"]


def _chain(root: Path, description: dict, problems: Problems) -> None:
    spec = TABLES["change_records"]
    columns = [c for c, _k in spec]
    chain = description.get("chain", {})
    prev, last_id, hashes = chain.get("first_prev_hash"), None, {}
    for typed in _json_rows(root / "data" / "change_records.json", "change_records", columns, problems):
        row = dict(zip(columns, typed, strict=True))
        if row["prev_hash"] != prev or row["hash"] != record_hash(row, prev):
            problems.add(f"change record {row['id']}: its hash does not match the chain (changed, removed or inserted)")
            return
        prev, last_id, hashes[row["id"]] = row["hash"], row["id"], row["hash"]
    if last_id is not None and (prev != chain.get("last_hash") or last_id != chain.get("last_id")):
        problems.add(f"change records: the chain ends at {last_id}, {DESCRIPTION} names {chain.get('last_id')}")
    anchor_cols = [c for c, _k in TABLES["anchors"]]
    for typed in _json_rows(root / "data" / "anchors.json", "anchors", anchor_cols, problems):
        anchor = dict(zip(anchor_cols, typed, strict=True))
        if anchor["last_id"] in hashes and hashes[anchor["last_id"]] != anchor["hash"]:
            problems.add(f"anchor of {anchor['day']}: record {anchor['last_id']} does not have the anchored hash")


def _marks_history(root: Path, keys: dict, problems: Problems) -> None:
    columns = [c for c, _k in TABLES["change_records"]]
    last: dict[int, tuple[int, str, str]] = {}
    for typed in _json_rows(root / "data" / "change_records.json", "change_records", columns, problems):
        row = dict(zip(columns, typed, strict=True))
        if row["entity"] == "mark" and row["field"] == "value":
            last[row["entity_id"]] = (row["id"], row["action"], row["new"])
    marks = keys["marks"]
    for mark_id, (record_id, action, new) in sorted(last.items()):
        if action == "delete" and mark_id in marks:
            problems.add(f"mark {mark_id}: deleted by change record {record_id}, present in the archive")
        elif action != "delete" and mark_id in marks and marks[mark_id] != new:
            problems.add(f"mark {mark_id}: «{marks[mark_id]}», its last change record {record_id} says «{new}»")


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m ejournal.archive.verify ARCHIVE_DIR_OR_ZIP", file=sys.stderr)
        return 2
    path = Path(args[0])
    if path.is_file() and zipfile.is_zipfile(path):
        with tempfile.TemporaryDirectory() as tmp, zipfile.ZipFile(path) as zf:
            for name in zf.namelist():
                if name.startswith("/") or ".." in Path(name).parts:
                    print(f"FAIL {name}: a path leaving the archive")
                    return 1
            zf.extractall(tmp)
            return _report(verify(Path(tmp)), path, _note(Path(tmp)))
    if not path.is_dir():
        print(f"usage: {path} is neither a directory nor a zip file", file=sys.stderr)
        return 2
    return _report(verify(path), path, _note(path))


def _note(root: Path) -> str:
    if not (root / RETENTION).is_file():
        return ""
    record = json.loads((root / RETENTION).read_text(encoding="utf-8"))
    return f"; {len(record['files'])} print journals removed on {record['removed_on']} at the end of their retention"


def _report(problems: Problems, path: Path, note: str = "") -> int:
    if not problems:
        print(f"OK {path}: manifest, machine copy and change-record chain verified{note}")
        return 0
    for text in problems[:LIMIT]:
        print(f"FAIL {text}")
    if len(problems) > LIMIT:
        print(f"FAIL … and {len(problems) - LIMIT} more")
    return 1


if __name__ == "__main__":
    sys.exit(main())
