"""Arrange a class's data for print: the journal's grid pages and the summary sheet's rows."""

from __future__ import annotations

from collections import defaultdict

from django.utils.translation import gettext as _

KINDS = ("term", "year", "exam", "final")


def column_title(key: str) -> str:
    kind, number = key.rstrip("0123456789"), key[len(key.rstrip("0123456789")) :]
    titles = {"term": _("%(n)s пер.") % {"n": number}, "year": _("Год"), "exam": _("Экз."), "final": _("Итог")}
    return titles.get(kind, key)


def grid_pages(part: dict, students: list[dict], per_page: int) -> list[dict]:
    """The mark grid split into pages of `per_page` lessons: columns (lessons), rows (students with their cells)."""
    held = [x for x in part["lessons"] if x["status"] in ("scheduled", "extra")]
    pages = []
    for start in range(0, len(held), per_page) or [0]:
        columns = held[start : start + per_page]
        rows = []
        for n, s in enumerate(students, 1):
            cells = []
            for lesson in columns:
                key = (lesson["id"], s["id"])
                text = "/".join(part["marks"].get(key, []))
                absent = part["attendance"].get(key, "")
                cells.append(" ".join(x for x in (absent, text) if x))
            rows.append({"n": n, "name": short_name(s["student"]), "cells": cells})
        pages.append({"columns": columns, "rows": rows})
    return pages


def short_name(student) -> str:
    initials = "".join(f"{p[0]}." for p in (student.first_name, student.middle_name) if p)
    return f"{student.last_name} {initials}".strip()


def summary_rows(subjects: list, students: list[dict], data: dict) -> dict:
    """One page of the сводная ведомость: for each subject its period columns, for each student the marks."""
    marks: dict[int, dict[int, dict[str, str]]] = defaultdict(lambda: defaultdict(dict))
    for _pk, subject_id, student_id, kind, term, value in data["period_marks"]:
        marks[subject_id][student_id][f"{kind}{term or ''}"] = value
    heads = []
    for subject in subjects:
        keys = {k for per in marks[subject.pk].values() for k in per} or {"year"}
        keys = sorted(keys, key=lambda k: (KINDS.index(k.rstrip("0123456789")), k))
        heads.append({"subject": subject, "keys": keys, "titles": [column_title(k) for k in keys]})
    rows = []
    for n, s in enumerate(students, 1):
        cells = [marks[h["subject"].pk][s["id"]].get(k, "") for h in heads for k in h["keys"]]
        rows.append({"n": n, "name": short_name(s["student"]), "cells": cells})
    return {"heads": heads, "rows": rows}
