"""The machine copy's writer: each table streamed to its CSV and its JSON at once, in the order rows come."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from .schema import TABLES, csv_text


class MachineCopy:
    """`with MachineCopy(dir) as m: m.row("marks", [...])` — every table of the schema gets both files, even empty."""

    def __init__(self, directory: Path):
        self.directory = directory
        self.counts: dict[str, int] = {}
        self._csv: dict[str, tuple] = {}
        self._json: dict = {}

    def __enter__(self) -> MachineCopy:
        self.directory.mkdir(parents=True, exist_ok=True)
        for table, columns in TABLES.items():
            names = [name for name, _type in columns]
            f = (self.directory / f"{table}.csv").open("w", encoding="utf-8", newline="")
            writer = csv.writer(f, lineterminator="\n")
            writer.writerow(names)
            self._csv[table] = (f, writer)
            j = (self.directory / f"{table}.json").open("w", encoding="utf-8", newline="\n")
            j.write(f'{{"table": {json.dumps(table)}, "columns": {json.dumps(names)}, "rows": [')
            self._json[table] = j
            self.counts[table] = 0
        return self

    def row(self, table: str, values: list) -> None:
        self._csv[table][1].writerow([csv_text(v) for v in values])
        self._json[table].write(("\n" if self.counts[table] == 0 else ",\n") + json.dumps(values, ensure_ascii=False))
        self.counts[table] += 1

    def __exit__(self, *exc) -> None:
        for f, _writer in self._csv.values():
            f.close()
        for j in self._json.values():
            j.write("\n]}\n")
            j.close()
