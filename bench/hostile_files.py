"""Peak memory and time of reading hostile spreadsheets, with this code and (optionally) another checkout.

    .venv/bin/python bench/hostile_files.py                       # this code
    .venv/bin/python bench/hostile_files.py --before /tmp/orig    # and a checkout of the code before

The files (built by `ejournal.core.tests.hostile_files`): a ~6 KB XLSX
declaring A1:XFD1048576 over 196,608 empty styled cells and a styled cell at
XFD1048576; an XLSX of 300,000 rows; an XLSX whose `<dimension>` claims 1 data
row of 5; a CSV of Windows-1251 rows then UTF-8 rows. Each is read by
`read_table` in a fresh interpreter limited to --memory-limit MB of address
space and --timeout seconds, so that the code before cannot take the machine
down; its peak RSS (VmHWM), wall and CPU seconds and outcome are printed
and written to bench/results/hostile_files-<time>.json.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ejournal.core.tests.hostile_files import (  # noqa: E402
    bomb_xlsx,
    many_rows_xlsx,
    mixed_encoding_csv,
    peak_of_reading,
    understated_xlsx,
)

HEADER = ["Фамилия", "Имя"]
PEOPLE = [["Петрова", "Анна"], ["Ёлкин", "Пётр"], ["Сомова", "Вера"], ["Орлова", "Вера"], ["Белов", "Глеб"]]


def files() -> dict[str, tuple[str, bytes]]:
    return {
        "bomb (A1:XFD1048576)": ("bomb.xlsx", bomb_xlsx()),
        "300,000 rows": ("rows.xlsx", many_rows_xlsx(rows=300_000)),
        "dimension understates rows": ("understated.xlsx", understated_xlsx(HEADER, PEOPLE)),
        "cp1251 then UTF-8 CSV": ("mixed.csv", mixed_encoding_csv(HEADER, PEOPLE[:2], PEOPLE[2:])),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, help="a checkout of the code to compare with")
    parser.add_argument("--memory-limit", type=int, default=2048, help="MB of address space per run")
    parser.add_argument("--timeout", type=int, default=300, help="seconds per run")
    args = parser.parse_args()
    roots = {"after": ROOT, **({"before": args.before.resolve()} if args.before else {})}
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for label, (name, data) in files().items():
            path = Path(tmp) / name
            path.write_bytes(data)
            for code, root in roots.items():
                outcome = peak_of_reading(path, code_root=root, memory_limit_mb=args.memory_limit, timeout=args.timeout)
                results.append({"file": label, "bytes": len(data), "code": code, **outcome})
                print(json.dumps(results[-1], ensure_ascii=False), flush=True)
    out = ROOT / "bench" / "results" / f"hostile_files-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
