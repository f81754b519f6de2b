"""Read an uploaded table (XLSX or CSV as Russian Excel writes it) into rows of text: the one reader of files.

Every file any upload parses comes through `read_table`, in a background job.
Nothing the file declares is trusted (sizes, dimensions, encodings) and the
caps of `caps.Caps` are counted while reading: an XLSX is streamed by `xlsx`,
a CSV (at most IMPORT_MAX_BYTES) is decoded in one encoding for all its rows
or refused, naming the first row in another.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ejournal.core.spreadsheet import FORMULA_PREFIXES

from .caps import Caps, ImportFileError
from .xlsx import xlsx_rows

__all__ = ["EXTENSIONS", "ImportFileError", "Table", "file_extension", "read_table", "too_big_message"]

ENCODING_ERROR = gettext_lazy(
    "Не удалось определить кодировку файла. Сохраните его как CSV (UTF-8) или CSV (Windows-1251)."
)

EXTENSIONS = (".xlsx", ".csv")
CSV_DELIMITERS = (";", ",", "\t")


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


def read_table(data: bytes, file_name: str, *, caps: Caps | None = None) -> Table:
    """Return the header row and the non-empty rows of the first sheet.

    Raises ImportFileError for an empty, undecodable, corrupt or oversized file.
    Trailing empty cells are dropped; data rows are padded to the header's width.
    """
    if not data.strip():
        raise ImportFileError(_("Файл пустой."))
    caps = caps or Caps.from_settings()
    ext = file_extension(file_name)
    if ext == ".xlsx":
        lines = _xlsx_lines(data, caps)
    elif ext == ".csv":
        lines = _csv_lines(data, caps)
    else:
        raise ImportFileError(_("Поддерживаются только файлы .xlsx и .csv."))
    headers: list[str] | None = None
    rows: list[tuple[int, list[str]]] = []
    for number, cells in lines:
        if not cells:
            continue
        if headers is None:
            headers = cells
            continue
        rows.append((number, cells + [""] * (len(headers) - len(cells))))
    if headers is None:
        raise ImportFileError(_("Файл пустой."))
    return Table(headers=headers, rows=rows)


def _xlsx_lines(data: bytes, caps: Caps) -> Iterator[tuple[int, list[str]]]:
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise ImportFileError(_("Файл не является книгой Excel (.xlsx). Сохраните его в Excel как «Книга Excel»."))
    for number, values in xlsx_rows(data, caps):
        texts = {column: _cell_text(value) for column, value in values.items()}
        last = max((column for column, text in texts.items() if text), default=0)
        cells = [""] * last
        for column, text in texts.items():
            if column <= last:
                cells[column - 1] = text
        yield number, cells


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


def _csv_lines(data: bytes, caps: Caps) -> Iterator[tuple[int, list[str]]]:
    text = _decode(data)
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max(CSV_DELIMITERS, key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for fields in reader:
            caps.row()
            caps.cell(len(fields))
            cells = [_cell_text(c) for c in fields]
            while cells and not cells[-1]:
                cells.pop()
            if cells:
                caps.column(reader.line_num, len(cells))
            yield reader.line_num, cells
    except csv.Error as exc:
        raise ImportFileError(_("Не удалось разобрать CSV-файл: %(error)s") % {"error": exc}) from exc


ENCODING_NAMES = {"utf-8": "UTF-8", "cp1251": "Windows-1251"}
CYRILLIC = re.compile("[\u0400-\u04ff]")


def _decode(data: bytes) -> str:
    """Decode a CSV in one encoding, UTF-8 (with or without BOM) or else Windows-1251; refuse binary junk.

    A file glued from a Windows-1251 part and a UTF-8 part decodes as neither
    without garbling one of them («РџРµС‚СЂРѕРІР°»): it is refused, naming its
    first row in the other encoding than the rows above.
    """
    if b"\x00" in data[:4096]:
        raise ImportFileError(ENCODING_ERROR)
    bom = data.startswith(codecs.BOM_UTF8)
    body = data[len(codecs.BOM_UTF8) :] if bom else data
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        pass
    _one_encoding(body, "utf-8" if bom else None)
    try:
        text = body.decode("cp1251")
    except UnicodeDecodeError as exc:
        raise ImportFileError(ENCODING_ERROR) from exc
    if sum(ch.isprintable() or ch in "\r\n\t" for ch in text) < 0.95 * len(text):
        raise ImportFileError(_("Файл не похож на текстовую таблицу CSV."))
    return text


def _one_encoding(body: bytes, encoding: str | None) -> None:
    """Refuse a file (not UTF-8 as a whole) whose lines are in different encodings, naming the first odd one."""
    for number, line in enumerate(body.splitlines(), start=1):
        if line.isascii():
            continue
        found = _line_encoding(line)
        if found is None:
            raise ImportFileError(
                _("Строка %(row)s не читается ни как UTF-8, ни как Windows-1251. Сохраните файл как «CSV UTF-8».")
                % {"row": number}
            )
        if encoding is None:
            encoding = found
        elif found != encoding:
            raise ImportFileError(
                _(
                    "Строка %(row)s записана в кодировке %(found)s, а строки выше — в %(encoding)s: файл собран "
                    "из частей в разных кодировках, и имена были бы искажены. Сохраните весь файл в одной "
                    "кодировке — «CSV UTF-8» — и загрузите снова."
                )
                % {"row": number, "found": ENCODING_NAMES[found], "encoding": ENCODING_NAMES[encoding]}
            )


def _line_encoding(line: bytes) -> str | None:
    """UTF-8 when the line reads as UTF-8 with Cyrillic letters in it, else Windows-1251 when it reads so."""
    try:
        if CYRILLIC.search(line.decode("utf-8")):
            return "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        line.decode("cp1251")
    except UnicodeDecodeError:
        return None
    return "cp1251"
