"""HTML → reproducible PDF bytes. No Django: run in the build's process or in its worker processes.

The identifier is derived from the file's path, the document's dates come from its HTML (`dcterms.*`), and
the embedded font subsets carry a fixed timestamp (fontTools reads SOURCE_DATE_EPOCH), so the same HTML
renders the same bytes.
"""

from __future__ import annotations

import hashlib
import os


class PdfEngineMissing(RuntimeError):
    """WeasyPrint or its system libraries (pango) are missing."""


def pdf_bytes(html: str, ident: str, epoch: int) -> bytes:
    try:
        import weasyprint
    except (ImportError, OSError) as exc:  # OSError: the package is there, pango is not
        raise PdfEngineMissing(str(exc)) from exc
    os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
    identifier = hashlib.sha256(ident.encode()).hexdigest()[:32].encode()
    return weasyprint.HTML(string=html).write_pdf(pdf_identifier=identifier)


def pdf_job(job: tuple[str, str, int]) -> bytes:
    """`pdf_bytes` of one (html, ident, epoch): what a worker process is given."""
    return pdf_bytes(*job)
