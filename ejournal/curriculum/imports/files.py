"""Blank planning files to download and the job page's summary, built on the roster import's helpers."""

from __future__ import annotations

import csv
import io

from openpyxl import Workbook
from openpyxl.styles import Font

from ejournal.core.models import ImportJob
from ejournal.core.spreadsheet import safe_cell
from ejournal.people.imports.selectors import import_job_summary
from ejournal.people.imports.template_files import FORMATS

from .importers import ENTITY_LABELS, IMPORTERS

__all__ = ["FORMATS", "plan_job_summary", "plan_template_build"]


def plan_template_build(*, kind: str, fmt: str) -> tuple[bytes, str, str]:
    """Return (content, content type, file name): the header row and example rows of `kind`."""
    importer = IMPORTERS[kind]
    header = [c.label for c in importer.columns]
    rows = [header, *([safe_cell(e.get(c.key, "")) for c in importer.columns] for e in importer.examples)]
    if fmt == "csv":
        out = io.StringIO()
        csv.writer(out, delimiter=";", lineterminator="\r\n").writerows(rows)  # what Russian Excel opens
        return out.getvalue().encode("utf-8-sig"), FORMATS[fmt], f"{kind}.csv"
    book = Workbook()
    sheet = book.active
    sheet.title = str(importer.title)[:31]
    for row in rows:
        sheet.append(row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue(), FORMATS[fmt], f"{kind}.xlsx"


def plan_job_summary(job: ImportJob) -> dict:
    """The roster summary, with this package's kind titles and entity names."""
    summary = import_job_summary(job)
    counts = (job.report or {}).get("counts", {})
    summary["kind_label"] = IMPORTERS[job.kind].title if job.kind in IMPORTERS else job.kind
    summary["counts"] = [{"label": label, **counts[key]} for key, label in ENTITY_LABELS.items() if key in counts]
    return summary
