"""The archive's PDFs (WeasyPrint): the class journal of one subject and the class's summary sheet.

Here the HTML is made (Django templates); `pdfwork.py` turns it into bytes, in this process or in the build's
worker processes. Reproducible: the document's dates are the period's end (`dcterms.created`/`modified`), its
identifier is derived from its path, fonts are embedded as subsets with a fixed timestamp.
"""

from __future__ import annotations

import datetime as dt

from django.template.loader import render_to_string
from django.utils import translation

from ejournal.diary.pdf import PdfUnavailable

from .build_parts import column_title, grid_pages, short_name, summary_rows
from .pdfwork import PdfEngineMissing, pdf_job

LESSONS_PER_PAGE = 22
SUBJECTS_PER_PAGE = 4


def _pdf(html: str, *, ident: str, epoch: int) -> tuple[str, str, int]:
    """What `pdfwork.pdf_job` renders: the build runs it here or in its worker processes."""
    return html, ident, epoch


def render_now(job: tuple[str, str, int]) -> bytes:
    try:
        return pdf_job(job)
    except PdfEngineMissing as exc:
        raise PdfUnavailable(str(exc)) from exc


def _epoch(period) -> int:
    return int(dt.datetime.combine(period.last, dt.time(), tzinfo=dt.UTC).timestamp())


def journal_pdf(period, cls, subject, data, names, *, ident: str) -> tuple[str, str, int]:
    from .build import by_subject

    part = by_subject(data, subject.pk)
    students = list(data["students"].values())
    columns = _period_columns(part)
    teachers = sorted({names["people"].get(x["teacher_id"], "") for x in part["lessons"]} - {""})
    context = {
        "period": period, "cls": cls, "subject": subject, "teachers": teachers, "director": names["director"],
        "pages": grid_pages(part, students, LESSONS_PER_PAGE), "lessons": [{**x, "teacher": names["people"].get(x["teacher_id"], "")} for x in part["lessons"]],
        "people": names["people"], "period_titles": [column_title(k) for k in columns],
        "period_rows": [{"n": n, "name": short_name(s["student"]), "cells": [part["period"][s["id"]].get(k, "")
                         for k in columns]} for n, s in enumerate(students, 1)],
        "created": f"{period.last.isoformat()}T00:00:00Z",
    }  # fmt: skip
    with translation.override("ru"):
        html = render_to_string("archive/journal_pdf.html", context)
    return _pdf(html, ident=ident, epoch=_epoch(period))


def summary_pdf(period, cls, subjects, data, names, *, ident: str) -> tuple[str, str, int]:
    students = list(data["students"].values())
    chunks = [subjects[i : i + SUBJECTS_PER_PAGE] for i in range(0, len(subjects), SUBJECTS_PER_PAGE)] or [[]]
    context = {
        "period": period, "cls": cls, "director": names["director"],
        "class_teacher": names["people"].get(cls.class_teacher_id, ""),
        "tables": [summary_rows(chunk, students, data) for chunk in chunks],
        "created": f"{period.last.isoformat()}T00:00:00Z",
    }  # fmt: skip
    with translation.override("ru"):
        html = render_to_string("archive/summary_pdf.html", context)
    return _pdf(html, ident=ident, epoch=_epoch(period))


def _period_columns(part) -> list[str]:
    keys = {k for marks in part["period"].values() for k in marks}
    return sorted(keys, key=_column_order)


def _column_order(key: str) -> tuple:
    order = {"term": 0, "year": 1, "exam": 2, "final": 3}
    kind = key.rstrip("0123456789")
    return order.get(kind, 9), key
