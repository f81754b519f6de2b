"""Benchmark: two sessions of one teacher saving different marks into the same empty cells at the same moment.

    .venv/bin/python bench/cell_race.py                 # 50 pairs per configuration on PostgreSQL
    .venv/bin/python bench/cell_race.py --pairs 100

Recreates the database `ejournal_bench_race` (server BENCH_PG, default postgres://postgres@127.0.0.1:5432),
migrates it and builds the test world (`ejournal.testing.build_world`: a school, a teacher, 5 «А»). Then, for
each configuration (several marks per lesson allowed or «одна отметка за урок»; one cell or a pasted column
of two cells), runs `--pairs` pairs: two threads, each with its own Django test client (session, connection),
post the same empty cells with «5» and «4» through the whole HTTP stack at a `threading.Barrier`
(`ejournal/journal/tests/race.py`, the code of `journal/tests/test_cell_race.py`). Every pair must give one
200 and one 409 (the conflict answer the grid shows) and leave each cell exactly one mark with the winner's
value. Prints pairs tried, conflicts answered, cells doubled; exits non-zero on any wrong pair.
Needs requirements-dev.txt (time-machine freezes the clock on the lessons' Monday).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from city_build import RESULTS, database_recreate, django_setup

CONFIGS = [(several, column) for column in (False, True) for several in (True, False)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--server", default=os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432"))
    parser.add_argument("--database", default="ejournal_bench_race")
    parser.add_argument("--pairs", type=int, default=50)
    args = parser.parse_args()
    database_recreate(args.server, args.database)
    django_setup(f"{args.server}/{args.database}")
    from django.conf import settings
    from django.core.management import call_command
    from django.test.utils import setup_test_environment

    from ejournal.journal.models import Mark
    from ejournal.journal.tests.helpers import MON, at
    from ejournal.journal.tests.race import COLUMN, STUDENTS, race_journal, race_pairs, race_run
    from ejournal.testing import build_world

    setup_test_environment()  # the test client's host, the in-memory mail outbox
    logging.getLogger("django.request").setLevel(logging.ERROR)  # every pair's 409 is expected: no warning each
    call_command("migrate", verbosity=0, interactive=False, skip_checks=True)
    journal_ = race_journal(build_world(), lessons=-(-args.pairs * COLUMN // STUDENTS))
    rows, wrong = [], 0
    print(f"{'configuration':<36} {'pairs tried':>11} {'conflicts answered':>19} {'cells doubled':>14} {'s':>6}")
    for several, column in CONFIGS:
        Mark.objects.all().delete()  # every configuration starts from empty cells
        settings.EJ_JOURNAL_RULES = {"allow_several_marks_per_lesson": several}
        pairs = race_pairs(journal_, column=column, count=args.pairs)
        t = time.perf_counter()
        with at(MON):
            result = race_run(journal_, pairs)
        name = f"{'several marks' if several else 'one mark per lesson'}, {'pasted column' if column else 'one cell'}"
        seconds = time.perf_counter() - t
        print(f"{name:<36} {result.pairs:>11} {result.conflicts:>19} {result.doubled:>14} {seconds:6.1f}")
        for line in result.wrong[:5]:
            print(f"    {line}")
        wrong += len(result.wrong)
        rows.append({"configuration": name, "pairs": result.pairs, "conflicts": result.conflicts,
                     "doubled": result.doubled, "wrong": len(result.wrong), "seconds": round(seconds, 1)})  # fmt: skip
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"cell_race-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.write_text(json.dumps({"pairs_per_configuration": args.pairs, "runs": rows}, indent=2))
    print(f"{'all wrong pairs':<36} {wrong:>11}   ({out.relative_to(RESULTS.parent.parent)})")
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
