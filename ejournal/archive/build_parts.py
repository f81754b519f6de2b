"""Arrange a class's data for print: the journal's grid pages and the summary sheet's rows."""

from __future__ import annotations

from collections import defaultdict

from django.utils.translation import gettext as _

from ejournal.schools.models import Term

KINDS = ("term", "year", "exam", "final")


def column_title(key: str, terms: dict[int, Term]) -> str:
    """«1 ч.», «2 тр.», «1 пол.» as the school's calendar names the term; «Год», «Экз.», «Итог»."""
    kind, number = key.rstrip("0123456789"), key[len(key.rstrip("0123456789")) :]
    if kind == "term":
        term_kind = terms[int(number)].kind if int(number) in terms else Term.Kind.QUARTER
        short: dict[str, str] = {
            Term.Kind.QUARTER: _("%(n)s ч."),
            Term.Kind.TRIMESTER: _("%(n)s тр."),
            Term.Kind.HALF_YEAR: _("%(n)s пол."),
        }
        return short[term_kind] % {"n": number}
    return {"year": _("Год"), "exam": _("Экз."), "final": _("Итог")}.get(kind, key)


def period_keys(base: list[str], present: set[str]) -> list[str]:
    """The period columns: the period's own (each term of a year and the year; a term alone) and any other
    marked (exam, final), in the order terms, year, exam, final."""
    return sorted(set(base) | present, key=lambda k: (KINDS.index(k.rstrip("0123456789")), k))


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


def summary_rows(subjects: list, students: list[dict], data: dict, base: list[str]) -> dict:
    """One table of the сводная ведомость: for each subject its period columns, for each student the marks.

    `base`: the columns every subject has (the archived term's alone; each term of a year and the year).
    """
    marks: dict[int, dict[int, dict[str, str]]] = defaultdict(lambda: defaultdict(dict))
    for _pk, subject_id, student_id, kind, term, value in data["period_marks"]:
        marks[subject_id][student_id][f"{kind}{term or ''}"] = value
    heads = []
    for subject in subjects:
        keys = period_keys(base, {k for per in marks[subject.pk].values() for k in per})
        heads.append({"subject": subject, "keys": keys, "titles": [column_title(k, data["terms"]) for k in keys]})
    rows = []
    for n, s in enumerate(students, 1):
        cells = [marks[h["subject"].pk][s["id"]].get(k, "") for h in heads for k in h["keys"]]
        rows.append({"n": n, "name": short_name(s["student"]), "cells": cells})
    return {"heads": heads, "rows": rows}
