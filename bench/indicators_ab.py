"""Benchmark: `school_month_indicators` of every school, this tree's against another revision's, figures compared.

    flock /tmp/bench/machine.lock .venv/bin/python bench/indicators_ab.py --before 98f25b1 12 11

The other revision's indicators — the module `ejournal/control/indicators.py` or, since session 10, the package
`ejournal/control/indicators/` (`git show REV:...`) — are loaded beside this tree's as `indicators_before` in the
same package; each month is computed old, new, old, new (warm after the first) on the database
(`--database`, default ejournal_benchcity, read-only), timed, and the figures of every school compared (exit 1 on
a difference).
"""

from __future__ import annotations

import argparse
import dataclasses
import importlib.util
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from city_build import ROOT, django_setup

PACKAGE = "ejournal/control/indicators"


def load_revision(rev: str):
    def show(path: str) -> str:
        return subprocess.run(["git", "show", f"{rev}:{path}"], cwd=ROOT, check=True, capture_output=True,
                              text=True).stdout  # fmt: skip

    listed = subprocess.run(["git", "ls-tree", "--name-only", f"{rev}:{PACKAGE}"], cwd=ROOT, capture_output=True,
                            text=True)  # fmt: skip
    folder = Path(tempfile.mkdtemp()) / "indicators_before"
    if listed.returncode == 0:  # a package: its modules side by side, imported as one
        folder.mkdir()
        for name in (n for n in listed.stdout.split() if n.endswith(".py")):
            (folder / name).write_text(show(f"{PACKAGE}/{name}"), encoding="utf-8")
        path, search = folder / "__init__.py", {"submodule_search_locations": [str(folder)]}
    else:
        path, search = folder.with_suffix(".py"), {}
        path.write_text(show(f"{PACKAGE}.py"), encoding="utf-8")
    spec = importlib.util.spec_from_file_location("ejournal.control.indicators_before", path, **search)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("months", type=int, nargs="+")
    parser.add_argument("--year", type=int, default=2026)
    parser.add_argument("--before", default="main")
    parser.add_argument("--database", default="postgres://postgres@127.0.0.1:5432/ejournal_benchcity")
    args = parser.parse_args()
    django_setup(args.database)
    from ejournal.control import indicators as new
    from ejournal.schools.models import School

    old = load_revision(args.before)
    ids = sorted(School.objects.values_list("id", flat=True))
    print(f"{len(ids)} schools, load average {Path('/proc/loadavg').read_text().split()[:3]}", flush=True)
    differences = 0
    for month in args.months:
        res = {}
        for tag, module in (("before", old), ("after", new), ("before", old), ("after", new)):
            start = time.perf_counter()
            rows = module.school_month_indicators(school_ids=ids, year=args.year, month=month)
            print(f"  {month:02d}.{args.year} {tag:6} {time.perf_counter() - start:6.2f} s", flush=True)
            res[tag] = {sid: dataclasses.asdict(row) for sid, row in rows.items()}
        unequal = [sid for sid in ids if res["before"][sid] != res["after"][sid]]
        differences += len(unequal)
        print(f"  {month:02d}.{args.year}: equal {len(ids) - len(unequal)} of {len(ids)} schools {unequal[:10]}")
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main())
