"""Read an uploaded table (XLSX or CSV as Russian Excel writes it) into rows of text."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ejournal.core.spreadsheet import FORMULA_PREFIXES

ENCODING_ERROR = gettext_lazy(
    "Не удалось определить кодировку файла. Сохраните его как CSV (UTF-8) или CSV (Windows-1251)."
)

EXTENSIONS = (".xlsx", ".csv")
CSV_DELIMITERS = (";", ",", "\t")


class ImportFileError(Exception):
    """The file as a whole cannot be used; the message is for the user."""


@dataclass
class Table:
    headers: list[str]
    # (row number as the spreadsheet shows it, cell texts in header order)
    rows: list[tuple[int, list[str]]]


def too_big_message() -> str:
    limit = settings.IMPORT_MAX_BYTES / (1024 * 1024)
    return _("Файл больше %(limit)s МБ: разбейте его на части.") % {"limit": f"{limit:g}"}


def file_extension(file_name: str) -> str:
    name = file_name.lower()
    return next((ext for ext in EXTENSIONS if name.endswith(ext)), "")


def read_table(data: bytes, file_name: str) -> Table:
    """Return the header row and the non-empty rows of the first sheet.

    Raises ImportFileError for an empty, undecodable or corrupt file.
    """
    if not data.strip():
        raise ImportFileError(_("Файл пустой."))
    ext = file_extension(file_name)
    if ext == ".xlsx":
        lines = _xlsx_lines(data)
    elif ext == ".csv":
        lines = _csv_lines(data)
    else:
        raise ImportFileError(_("Поддерживаются только файлы .xlsx и .csv."))
    headers: list[str] | None = None
    rows: list[tuple[int, list[str]]] = []
    for number, cells in lines:
        if not any(cells):
            continue
        if headers is None:
            headers = cells
            continue
        rows.append((number, cells + [""] * (len(headers) - len(cells))))
    if headers is None:
        raise ImportFileError(_("Файл пустой."))
    return Table(headers=headers, rows=rows)


def _xlsx_lines(data: bytes) -> Iterator[tuple[int, list[str]]]:
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise ImportFileError(_("Файл не является книгой Excel (.xlsx). Сохраните его в Excel как «Книга Excel»."))
    from openpyxl import load_workbook

    try:
        # data_only=False: a formula comes back as its text and is never evaluated.
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
        sheet = book.worksheets[0]
        lines = [
            (number, [_cell_text(v) for v in values])
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1)
        ]
        book.close()
    except Exception as exc:  # zip, XML and openpyxl errors of a damaged or foreign file
        raise ImportFileError(_("Не удалось прочитать книгу Excel: файл повреждён или это не .xlsx.")) from exc
    return iter(lines)


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime | dt.date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = " ".join(str(value).split())
    # Undo `safe_cell`: a value we exported as '=… comes back as =… (kept as text, never evaluated).
    if text[:1] == "'" and text[1:2] in FORMULA_PREFIXES:
        return text[1:]
    return text


def _csv_lines(data: bytes) -> Iterator[tuple[int, list[str]]]:
    text = _decode(data)
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max(CSV_DELIMITERS, key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for cells in reader:
            yield reader.line_num, [_cell_text(c) for c in cells]
    except csv.Error as exc:
        raise ImportFileError(_("Не удалось разобрать CSV-файл: %(error)s") % {"error": exc}) from exc


def _decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1251; refuse binary junk."""
    if b"\x00" in data[:4096]:
        raise ImportFileError(ENCODING_ERROR)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1251")
    except UnicodeDecodeError as exc:
        raise ImportFileError(ENCODING_ERROR) from exc
    if sum(ch.isprintable() or ch in "\r\n\t" for ch in text) < 0.95 * len(text):
        raise ImportFileError(_("Файл не похож на текстовую таблицу CSV."))
    return text
