"""HTML to PDF with WeasyPrint, imported only when a PDF is asked for (the rest of the app runs without it)."""

from __future__ import annotations


class PdfUnavailable(RuntimeError):
    """WeasyPrint or its system libraries (pango) are missing on this server."""


def html_to_pdf(html: str) -> bytes:
    try:
        import weasyprint
    except (ImportError, OSError) as exc:  # OSError: the package is there, pango is not
        raise PdfUnavailable(str(exc)) from exc
    return weasyprint.HTML(string=html).write_pdf()
