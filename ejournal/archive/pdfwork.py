"""A document spec → reproducible PDF bytes (ReportLab). No Django: runs in the build's process or its workers.

The archive's documents are grids — a title page, tables that run over pages with their header repeated,
headings, a signature block — so they are laid out here directly, not through HTML: ~100 times less CPU a
page than WeasyPrint (decision 0017). The spec is plain data (`render.py` makes it, every text already
translated), so a worker process needs neither Django nor the database.

Reproducible: ReportLab's invariant mode (no clock, an identifier from the content), the document's date the
period's end, the DejaVu fonts embedded as subsets named by their order (no random tag), zlib at a fixed level.
Layout: A4 landscape, margins 12/10/14/10 mm; a running head at the top left, «Страница N из M» at the bottom
right; text never cut: a cell too narrow shrinks its text down to 5 pt, then wraps it.
"""

from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path
from typing import Any

MM = 72 / 25.4
PAGE_W, PAGE_H = 297 * MM, 210 * MM
LEFT, RIGHT, TOP, BOTTOM = 10 * MM, PAGE_W - 10 * MM, PAGE_H - 12 * MM, 14 * MM
WIDTH = RIGHT - LEFT
PAD_X, PAD_Y = 0.8 * MM, 0.6 * MM
ASCENT, LEADING = 0.93, 1.17  # DejaVu Sans: ascent and line height as a share of the size
MIN_SIZE = 5.0
HEADER_GRAY = 0.93
FONTS = {"R": ("ArchiveSans", "DejaVuSans.ttf"), "B": ("ArchiveSans-Bold", "DejaVuSans-Bold.ttf")}


class PdfEngineMissing(RuntimeError):
    """ReportLab or the DejaVu fonts are missing."""


def pdf_job(job: tuple[dict, str, int]) -> bytes:
    """`pdf_bytes` of one (spec, ident, epoch): what a worker process is given."""
    return pdf_bytes(*job)


def pdf_bytes(spec: dict, ident: str, epoch: int) -> bytes:
    """Lay the spec out and draw it. `ident` names the document in errors; `epoch` is its date (UTC seconds)."""
    canvas_class = _engine(spec["fonts"])
    pages = Layout().run(spec["blocks"])
    buffer = io.BytesIO()
    canvas = canvas_class(
        buffer,
        pagesize=(PAGE_W, PAGE_H),
        invariant=1,
        pageCompression=1,
        initialFontName=FONTS["R"][0],
        initialFontSize=8,
    )
    date = _pdf_date(epoch)
    canvas.setDateFormatter(lambda *_parts: date)
    canvas.setTitle(spec["title"])
    canvas.setAuthor(spec["author"])
    canvas.setSubject(ident)
    canvas.setCreator("ejournal")
    canvas.setProducer("ejournal archive")
    total = len(pages)
    for number, ops in enumerate(pages, 1):
        _draw(canvas, ops)
        _text(canvas, LEFT, PAGE_H - 7 * MM, "R", 7, spec["running"], "l", 0.2)
        footer = f"{spec['page_word']} {number} {spec['of_word']} {total}"
        _text(canvas, RIGHT, 6 * MM, "R", 8, footer, "r", 0)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _pdf_date(epoch: int) -> str:
    import time

    t = time.gmtime(epoch)
    return f"D:{t.tm_year:04d}{t.tm_mon:02d}{t.tm_mday:02d}{t.tm_hour:02d}{t.tm_min:02d}{t.tm_sec:02d}+00'00'"


_ENGINE: dict = {}


def _engine(font_dir: str):
    """Import ReportLab and register the fonts once per process; the canvas class."""
    if font_dir in _ENGINE:
        return _ENGINE[font_dir]
    try:
        from reportlab import rl_config
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFont
        from reportlab.pdfgen.canvas import Canvas
    except ImportError as exc:
        raise PdfEngineMissing(str(exc)) from exc
    rl_config.useA85 = 0  # binary streams: a quarter smaller than ASCII85, the same bytes every time
    for name, file in FONTS.values():
        path = Path(font_dir) / file
        if not path.is_file():
            raise PdfEngineMissing(f"font {path} is missing (Debian: fonts-dejavu-core)")
        pdfmetrics.registerFont(TTFont(name, str(path)))
    _ENGINE.clear()
    _ENGINE[font_dir] = Canvas
    _ENGINE["width"] = pdfmetrics.stringWidth
    _width.cache_clear()
    return Canvas


@lru_cache(maxsize=65536)
def _width(text: str, face: str, size: float) -> float:
    return _ENGINE["width"](text, FONTS[face][0], size)


def _draw(canvas, ops: list[tuple]) -> None:
    for op in ops:
        if op[0] == "t":
            _text(canvas, *op[1:])
        elif op[0] == "fill":
            _kind, x, y, w, h, gray = op
            canvas.setFillGray(gray)
            canvas.rect(x, y, w, h, stroke=0, fill=1)
            canvas.setFillGray(0)
        else:  # "lines": a list of (x1, y1, x2, y2), 0.5 pt black
            canvas.setLineWidth(0.5)
            canvas.lines(op[1])


def _text(canvas, x: float, y: float, face: str, size: float, text: str, align: str, gray: float) -> None:
    if not text:
        return
    canvas.setFont(FONTS[face][0], size)
    canvas.setFillGray(gray)
    if align == "l":
        canvas.drawString(x, y, text)
    elif align == "r":
        canvas.drawRightString(x, y, text)
    else:
        canvas.drawCentredString(x, y, text)
    canvas.setFillGray(0)


def wrap(text: str, face: str, size: float, width: float) -> list[str]:
    """Lines of `text` no wider than `width`: by words, a word longer than the width by characters."""
    lines: list[str] = []
    for paragraph in str(text).split("\n"):
        line = ""
        for word in paragraph.split():
            candidate = f"{line} {word}" if line else word
            if _width(candidate, face, size) <= width:
                line = candidate
                continue
            if line:
                lines.append(line)
            line = ""
            while _width(word, face, size) > width and len(word) > 1:
                cut = max(1, next((i for i in range(len(word), 0, -1) if _width(word[:i], face, size) <= width), 1))
                lines.append(word[:cut])
                word = word[cut:]
            line = word
        lines.append(line)
    return lines or [""]


def fit(text: str, face: str, size: float, width: float, wraps: bool) -> tuple[float, list[str]]:
    """The size and lines of a cell's text: as is; else wrapped (text columns) or shrunk to 5 pt, then wrapped."""
    if _width(text, face, size) <= width or not text:
        return size, [text]
    if wraps:
        return size, wrap(text, face, size, width)
    smaller = max(MIN_SIZE, size * width / _width(text, face, size) * 0.999)
    if _width(text, face, smaller) <= width:
        return smaller, [text]
    return smaller, wrap(text, face, smaller, width)


class Layout:
    """Blocks → pages of drawing operations; the page count is known before the first page is drawn."""

    def __init__(self):
        self.pages: list[list[tuple]] = []
        self.ops: list[tuple] = []
        self.y = TOP

    def run(self, blocks: list[dict]) -> list[list[tuple]]:
        for block in blocks:
            getattr(self, f"_{block['type']}")(block)
        if self.ops or not self.pages:
            self.pages.append(self.ops)
        return self.pages

    def _new_page(self, _block=None) -> None:
        self.pages.append(self.ops)
        self.ops, self.y = [], TOP

    def _page(self, _block=None) -> None:
        """Start the next block on a fresh page (unless this one is still empty)."""
        if self.ops:
            self._new_page()

    def _room(self, height: float) -> None:
        if self.y - height < BOTTOM and self.y < TOP:
            self._new_page()

    def _title(self, block: dict) -> None:
        """The title page: centred lines from 40 mm down, then a page break."""
        self._page()
        self.y = TOP - 40 * MM
        for line in block["lines"]:
            size, face, gray = line.get("size", 12), "B" if line.get("bold") else "R", line.get("gray", 0)
            for text in wrap(line["text"], face, size, WIDTH):
                self.y -= ASCENT * size
                self.ops.append(("t", LEFT + WIDTH / 2, self.y, face, size, text, "c", gray))
                self.y -= (LEADING - ASCENT) * size
            self.y -= line.get("after", 2) * MM
        self._new_page()

    def _heading(self, block: dict) -> None:
        size = block.get("size", 11)
        lines = wrap(block["text"], "B", size, WIDTH)
        self._room(len(lines) * LEADING * size + block.get("keep", 0))
        for text in lines:
            self.ops.append(("t", LEFT, self.y - ASCENT * size, "B", size, text, "l", 0))
            self.y -= LEADING * size
        self.y -= block.get("after", 2) * MM

    def _para(self, block: dict) -> None:
        size = block.get("size", 8)
        for text in wrap(block["text"], "R", size, WIDTH):
            self._room(LEADING * size)
            self.ops.append(("t", LEFT, self.y - ASCENT * size, "R", size, text, "l", block.get("gray", 0)))
            self.y -= LEADING * size
        self.y -= block.get("after", 2) * MM

    def _space(self, block: dict) -> None:
        self.y -= block["mm"] * MM

    def _sign(self, block: dict) -> None:
        """The signature block, kept on one page; a line too long (several teachers) wraps."""
        size, gap = block.get("size", 10), 6 * MM
        lines = [wrap(text, "R", size, WIDTH) for text in block["lines"]]
        self._room(10 * MM + sum(len(x) * LEADING * size + gap for x in lines))
        self.y -= 10 * MM
        for wrapped in lines:
            for text in wrapped:
                self.ops.append(("t", LEFT, self.y - ASCENT * size, "R", size, text, "l", 0))
                self.y -= LEADING * size
            self.y -= gap

    def _table(self, block: dict) -> None:
        Table(self, block).place()


class Table:
    """A table: column widths (mm; None shares the rest), header cells placed by row/column with spans, body rows.

    Body rows never split; the header repeats on every page the table runs onto. Header cells are bold on
    grey and centred; body cells align per column ("l", "c").
    """

    def __init__(self, layout: Layout, block: dict):
        self.layout, self.block = layout, block
        self.size = block.get("size", 7)
        self.x = self._columns(block["widths"])
        self.align = block.get("align") or ["c"] * len(block["widths"])
        self.wraps = block.get("wrap") or [False] * len(block["widths"])
        self.header = self._header(block["header"])

    def _columns(self, widths: list[float | None]) -> list[float]:
        fixed = sum(w * MM for w in widths if w is not None)
        free = [w for w in widths if w is None]
        share = (WIDTH - fixed) / len(free) if free else 0
        x = [LEFT]
        for w in widths:
            x.append(x[-1] + (w * MM if w is not None else share))
        return x

    def _cell_width(self, col: int, span: int = 1) -> float:
        return self.x[col + span] - self.x[col] - 2 * PAD_X

    def _header(self, cells: list[dict]) -> dict:
        """Row heights of the header (a cell spanning rows takes what its rows have) and each cell's lines."""
        rows = 1 + max((c["row"] + c.get("rows", 1) - 1 for c in cells), default=-1)
        heights = [0.0] * rows
        fitted = []
        for c in cells:
            size, lines = fit(c["text"], "B", self.size, self._cell_width(c["col"], c.get("cols", 1)), True)
            fitted.append((c, size, lines))
            if c.get("rows", 1) == 1:
                heights[c["row"]] = max(heights[c["row"]], len(lines) * LEADING * size + 2 * PAD_Y)
        for c, size, lines in fitted:
            span = range(c["row"], c["row"] + c.get("rows", 1))
            need = len(lines) * LEADING * size + 2 * PAD_Y - sum(heights[r] for r in span)
            if need > 0:
                heights[span[-1]] += need
        return {"heights": heights, "cells": fitted}

    def _row(self, cells: list[str]) -> tuple[float, list]:
        fitted = []
        height = LEADING * self.size + 2 * PAD_Y
        spans = [len(self.x) - 1] if len(cells) == 1 else [1] * len(cells)  # one cell: a message across the table
        for col, text in enumerate(cells):
            wraps = self.wraps[col] or spans[col] > 1
            size, lines = fit(str(text), "R", self.size, self._cell_width(col, spans[col]), wraps)
            fitted.append((size, lines))
            height = max(height, len(lines) * LEADING * size + 2 * PAD_Y)
        return height, fitted

    def place(self) -> None:
        layout, block = self.layout, self.block
        head = sum(self.header["heights"])
        rows = [self._row(r) for r in block["rows"]] or [self._row([block.get("empty", "")])]
        rows = [part for row in rows for part in self._split(row, TOP - BOTTOM - head)]
        layout._room(head + rows[0][0])
        i = 0
        while i < len(rows):
            top = layout.y
            ops = layout.ops
            lines: list[Any] = []
            self._draw_header(top, ops, lines)
            edges = [top - head]
            while i < len(rows) and (edges[-1] - rows[i][0] >= BOTTOM or len(edges) == 1):
                self._draw_row(edges[-1], rows[i], ops)
                edges.append(edges[-1] - rows[i][0])
                i += 1
            xs = self.x if block["rows"] else [self.x[0], self.x[-1]]
            lines += [(xs[0], y, xs[-1], y) for y in edges[1:]]
            lines += [(x, edges[0], x, edges[-1]) for x in xs]
            ops.append(("lines", lines))
            layout.y = edges[-1]
            if i < len(rows):
                layout._new_page()
        layout.y -= block.get("after", 0) * MM

    @staticmethod
    def _split(row: tuple, room: float) -> list[tuple]:
        """A row taller than a page (a very long homework text) continues on the next: its lines in parts."""
        height, fitted = row
        if height <= room:
            return [row]
        leading = max(LEADING * size for size, _lines in fitted)
        per = max(1, int((room - 2 * PAD_Y) // leading))
        count = max(len(lines) for _size, lines in fitted)
        parts = []
        for start in range(0, count, per):
            piece = [(size, lines[start : start + per]) for size, lines in fitted]
            parts.append((max(len(x) for _s, x in piece) * leading + 2 * PAD_Y, piece))
        return parts

    def _draw_header(self, top: float, ops: list, lines: list) -> None:
        heights = self.header["heights"]
        edges = [top]
        for h in heights:
            edges.append(edges[-1] - h)
        for c, size, texts in self.header["cells"]:
            x0, x1 = self.x[c["col"]], self.x[c["col"] + c.get("cols", 1)]
            y0, y1 = edges[c["row"]], edges[c["row"] + c.get("rows", 1)]
            ops.append(("fill", x0, y1, x1 - x0, y0 - y1, HEADER_GRAY))
            lines += [(x0, y0, x1, y0), (x0, y1, x1, y1), (x0, y0, x0, y1), (x1, y0, x1, y1)]
            self._texts(ops, texts, "B", size, x0, x1, y0, "c")

    def _draw_row(self, y: float, row: tuple, ops: list) -> None:
        _height, fitted = row
        if len(fitted) == 1:
            size, texts = fitted[0]
            self._texts(ops, texts, "R", size, self.x[0], self.x[-1], y, "l")
            return
        for col, (size, texts) in enumerate(fitted):
            self._texts(ops, texts, "R", size, self.x[col], self.x[col + 1], y, self.align[col])

    def _texts(self, ops, texts, face, size, x0, x1, y, align) -> None:
        for n, text in enumerate(texts):
            base = y - PAD_Y - ASCENT * size - n * LEADING * size
            x = x0 + PAD_X if align == "l" else (x0 + x1) / 2 if align == "c" else x1 - PAD_X
            ops.append(("t", x, base, face, size, text, align, 0))
