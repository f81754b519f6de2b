"""The marks pages header: the child tabs read by the ORM (before) and by the week's prepared query (`marks.tabs`),
CPU per header in-process, and the same HTML asserted.   .venv/bin/python bench/cold_tabs.py postgres://…/DB"""

# ruff: noqa: E402
import os
import sys
import time

sys.path.insert(0, "bench")
from city_build import django_setup

os.environ["REDIS_URL"] = "redis://127.0.0.1:6379/1"
django_setup(sys.argv[1])
from types import SimpleNamespace

from django.template.loader import render_to_string

from ejournal.diary import selectors
from ejournal.diary.marks import tabs
from ejournal.people.models import GuardianLink

fams = {}
for g, s in GuardianLink.objects.values_list("guardian__user_id", "student_id")[:4000]:
    fams.setdefault(g, []).append(s)
fams = [sorted(v) for v in fams.values() if len(v) > 1][:50] + [sorted(v) for v in fams.values()][:50]


def orm(ids):
    kids = selectors.children(actor=SimpleNamespace(student_ids=set(ids)))
    return render_to_string("diary/partials/header.html", {"student": kids[0], "children": kids, "section": "marks"})


def lean(ids):
    kids = tabs(ids)
    return render_to_string("diary/partials/header.html", {"student": kids[0], "children": kids, "section": "marks"})


for f in (orm, lean):
    for ids in fams[:5]:
        f(ids)
res = {}
for _round in range(3):
    for f in (orm, lean):
        c = time.process_time()
        for ids in fams:
            f(ids)
        res.setdefault(f.__name__, []).append((time.process_time() - c) * 1000 / len(fams))
assert all(orm(ids) == lean(ids) for ids in fams), "different HTML"
print(
    {k: [round(x, 2) for x in v] for k, v in res.items()},
    "ms CPU per header;",
    len(fams),
    "families; same HTML; load",
    os.getloadavg(),
)
