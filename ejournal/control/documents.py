"""The справка's second part as a PDF, teacher by teacher, with its progress (the background job's work)."""

from __future__ import annotations

from collections.abc import Callable

from django.template.loader import render_to_string

from ejournal.diary.pdf import PdfUnavailable

from .filling import FillingReport

DETAILS_TEMPLATE = "control/note_details.html"


def details_pdf(report: FillingReport, *, progress: Callable[[int, int], object] = lambda done, total: None) -> bytes:
    """Render each teacher's findings as its own document and join the pages into one PDF.

    Teacher by teacher, so that the job can say how far it got (`progress(done, total)`); the pages of
    each teacher are numbered on their own, so a teacher's pages can be handed over alone.
    """
    try:
        import weasyprint
    except (ImportError, OSError) as exc:  # OSError: the package is there, pango is not
        raise PdfUnavailable(str(exc)) from exc
    teachers = report.details()
    context = {"report": report, "for_pdf": True, "part": "details"}
    parts = [{"teachers": []}] if not teachers else [{"teachers": [t], "first": n == 0} for n, t in enumerate(teachers)]
    documents = []
    for n, part in enumerate(parts):
        html = render_to_string(DETAILS_TEMPLATE, {**context, **part, "continued": n > 0})
        documents.append(weasyprint.HTML(string=html).render())
        progress(n + 1, len(parts))
    pages = [page for document in documents for page in document.pages]
    return documents[0].copy(pages).write_pdf()
