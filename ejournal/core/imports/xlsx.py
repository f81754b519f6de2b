"""Stream the first sheet of an XLSX workbook, trusting nothing the file declares.

The zip's members are checked before anything is unpacked: the sizes they
declare (Python's zipfile never unpacks more than that) against
IMPORT_MAX_UNCOMPRESSED_MB, and their compression ratio against
IMPORT_MAX_COMPRESSION_RATIO — a few kilobytes that unpack to gigabytes are
refused unread. The sheet, its shared strings and its styles are then read
element by element (`iterparse`, expat with its entity-expansion guard, no
external entities), each row dropped from the tree once read: memory stays
flat whatever the file holds. The `<dimension>` a sheet declares is never
read, so it can neither hide rows nor make a reader build a million empty
rows of 16,384 cells; empty cells are skipped, and the rows, cells and
columns are capped as they come (`caps.Caps`).

openpyxl (which writes our files) is not used to read them: its read-only
sheets trust `<dimension>`, fill the gaps to it, and build each row, however
wide, before handing it over.
"""

from __future__ import annotations

import io
import posixpath
import pyexpat
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from xml.etree.ElementTree import Element, iterparse

from django.utils.translation import gettext as _
from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format, is_timedelta_format
from openpyxl.utils.cell import column_index_from_string
from openpyxl.utils.datetime import MAC_EPOCH, WINDOWS_EPOCH, from_excel, from_ISO8601

from .caps import Caps, ImportFileError, number

# Smaller parts can have any ratio: unpacked in full they are still small.
RATIO_CHECKED_FROM = 1024 * 1024
RELATIONSHIPS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
CELL_REF = re.compile(r"([A-Z]{1,3})(\d+)")
# ElementTree never fetches external entities or DTDs, and expat from 2.4.1 on stops entity expansion
# (billion laughs, quadratic blow-up) by its amplification limit: the two attacks defusedxml guards against.
EXPAT_SAFE = pyexpat.version_info >= (2, 4, 1)
if not EXPAT_SAFE:  # pragma: no cover - Python 3.11 ships expat 2.5
    raise ImportError("the XLSX reader needs expat 2.4.1 or newer (entity expansion limits)")


def damaged() -> ImportFileError:
    return ImportFileError(_("Не удалось прочитать книгу Excel: файл повреждён или это не .xlsx."))


def xlsx_rows(data: bytes, caps: Caps) -> Iterator[tuple[int, dict[int, object]]]:
    """Yield (row number, {column: value}) for each row of the first sheet, values as Python objects.

    Only cells with a value are in a row; a refusal is an `ImportFileError` with the reason.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members_check(archive, caps)
            parts = _Parts.of(archive)
            strings = _shared_strings(archive, parts.strings, caps) if parts.strings else []
            dates, spans = _date_styles(archive, parts.styles) if parts.styles else (set(), set())
            cells = _Cells(strings, dates, spans, MAC_EPOCH if parts.date1904 else WINDOWS_EPOCH)
            yield from _sheet_rows(archive, parts.sheet, cells, caps)
    except ImportFileError:
        raise
    except Exception as exc:  # zip, XML, reference and number errors of a damaged or foreign file
        raise damaged() from exc


def members_check(archive: zipfile.ZipFile, caps: Caps) -> None:
    """Refuse, before unpacking anything, a workbook too big unpacked or packed suspiciously tight."""
    members = archive.infolist()
    if sum(m.file_size for m in members) > caps.unpacked_bytes:
        raise ImportFileError(
            _(
                "Файл Excel больше %(max)s МБ в распакованном виде (предел загрузки, IMPORT_MAX_UNCOMPRESSED_MB). "
                "Разбейте файл на части или удалите лишнее оформление."
            )
            % {"max": number(caps.unpacked_bytes // (1024 * 1024))}
        )
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if caps.ratio and member.file_size >= RATIO_CHECKED_FROM and ratio > caps.ratio:
            raise ImportFileError(
                _(
                    "Файл Excel сжат подозрительно сильно: его часть «%(part)s» в распакованном виде больше "
                    "в %(ratio)s раз, а допускается не больше чем в %(max)s (IMPORT_MAX_COMPRESSION_RATIO). "
                    "Так выглядят файлы с тысячами пустых оформленных ячеек: скопируйте в новую книгу только "
                    "таблицу с данными и загрузите её."
                )
                % {"part": member.filename, "ratio": number(int(ratio)), "max": number(caps.ratio)}
            )


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _elements(archive: zipfile.ZipFile, path: str, records: frozenset[str]) -> Iterator[tuple[str, Element]]:
    """Yield (local name, element) at the end of each element of a part.

    A record (a row, a cell, a string, a style) is removed from its parent once
    the caller has read it, so the tree never holds more than the current one.
    """
    stack: list[Element] = []
    with archive.open(path) as source:
        for event, element in iterparse(source, events=("start", "end")):  # noqa: S314 (see EXPAT_SAFE)
            if event == "start":
                stack.append(element)
                continue
            stack.pop()
            tag = _local(element.tag)
            yield tag, element
            if tag in records and stack:
                stack[-1].remove(element)


@dataclass
class _Parts:
    """Where the workbook keeps its first sheet, shared strings and styles; which date system it uses."""

    sheet: str
    strings: str
    styles: str
    date1904: bool

    @classmethod
    def of(cls, archive: zipfile.ZipFile) -> _Parts:
        names = set(archive.namelist())
        book = _targets(archive, "_rels/.rels", "").get("officeDocument", "xl/workbook.xml")
        if book not in names:
            raise damaged()
        folder = posixpath.dirname(book)
        rels = posixpath.join(folder, "_rels", posixpath.basename(book) + ".rels")
        by_id = _targets(archive, rels, folder, key="Id") if rels in names else {}
        by_type = _targets(archive, rels, folder) if rels in names else {}
        first_sheet, date1904 = "", False
        for tag, element in _elements(archive, book, frozenset({"sheet"})):
            if tag == "workbookPr":
                date1904 = element.get("date1904", "").lower() in ("1", "true")
            elif tag == "sheet" and not first_sheet:
                first_sheet = by_id.get(element.get(RELATIONSHIPS, ""), "")
        if first_sheet not in names:
            raise damaged()
        strings, styles = by_type.get("sharedStrings", ""), by_type.get("styles", "")
        return cls(first_sheet, strings if strings in names else "", styles if styles in names else "", date1904)


def _targets(archive: zipfile.ZipFile, path: str, folder: str, *, key: str = "Type") -> dict[str, str]:
    """The targets of a relationships part, by relationship id or by the last word of its type."""
    if path not in archive.namelist():
        return {}
    found: dict[str, str] = {}
    for tag, element in _elements(archive, path, frozenset({"Relationship"})):
        if tag == "Relationship" and element.get("TargetMode") != "External":
            target = element.get("Target", "")
            target = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
            name = element.get(key, "").rsplit("/", 1)[-1]
            found.setdefault(name, posixpath.normpath(target))
    return found


def _text_of(element: Element | None) -> str:
    """The text of a shared or inline string: its runs joined, phonetic hints (`rPh`) left out."""
    if element is None:
        return ""
    parts: list[str] = []
    for child in element:
        tag = _local(child.tag)
        if tag == "t":
            parts.append(child.text or "")
        elif tag == "r":
            parts.extend(t.text or "" for t in child if _local(t.tag) == "t")
    return "".join(parts)


def _shared_strings(archive: zipfile.ZipFile, path: str, caps: Caps) -> list[str]:
    """The shared strings; more of them than cells a file may have is refused as it is read."""
    strings: list[str] = []
    for tag, element in _elements(archive, path, frozenset({"si"})):
        if tag == "si":
            strings.append(_text_of(element))
            if len(strings) > caps.cells:
                raise caps.too_many_cells()
    return strings


def _date_styles(archive: zipfile.ZipFile, path: str) -> tuple[set[int], set[int]]:
    """The cell styles (indexes of `cellXfs`) that show a number as a date, and those that show a duration."""
    custom: dict[int, str] = {}
    formats: list[int] = []
    in_cell_styles = False
    stack_tags: list[str] = []
    with archive.open(path) as source:
        for event, element in iterparse(source, events=("start", "end")):  # noqa: S314 (see EXPAT_SAFE)
            tag = _local(element.tag)
            if event == "start":
                stack_tags.append(tag)
                in_cell_styles = in_cell_styles or tag == "cellXfs"
                continue
            stack_tags.pop()
            if tag == "numFmt":
                custom[int(element.get("numFmtId", "0"))] = element.get("formatCode", "")
            elif tag == "xf" and in_cell_styles:
                formats.append(int(element.get("numFmtId", "0")))
            elif tag == "cellXfs":
                in_cell_styles = False
            if tag in ("numFmt", "xf"):
                element.clear()
    dates, spans = set(), set()
    for index, format_id in enumerate(formats):
        code = custom.get(format_id) or BUILTIN_FORMATS.get(format_id, "")
        if code and is_date_format(code):
            dates.add(index)
        if code and is_timedelta_format(code):
            spans.add(index)
    return dates, spans


@dataclass
class _Cells:
    """Turns a `<c>` element into its value, as a spreadsheet program shows it."""

    strings: list[str]
    dates: set[int]
    spans: set[int]
    epoch: object

    def value(self, element: Element) -> object:
        kind = element.get("t", "n")
        formula = element.find("{*}f")
        if formula is not None:
            # Never evaluated: a formula comes back as its text, as the user typed it.
            return "=" + (formula.text or "")
        if kind == "inlineStr":
            return _text_of(element.find("{*}is"))
        raw = element.findtext("{*}v")
        if raw is None or raw == "":
            return None
        if kind == "s":
            return self.strings[int(raw)]
        if kind == "b":
            return raw in ("1", "true")
        if kind in ("str", "e"):
            return raw
        if kind == "d":
            return from_ISO8601(raw)
        value = float(raw) if any(ch in raw for ch in ".eE") else int(raw)
        style = int(element.get("s", "0") or 0)
        if style in self.dates:
            try:
                return from_excel(value, self.epoch, timedelta=style in self.spans)
            except (OverflowError, ValueError):
                return "#VALUE!"
        return value


def _sheet_rows(
    archive: zipfile.ZipFile, path: str, cells: _Cells, caps: Caps
) -> Iterator[tuple[int, dict[int, object]]]:
    row_number, column = 0, 0
    values: dict[int, object] = {}
    for tag, element in _elements(archive, path, frozenset({"row", "c"})):
        if tag == "c":
            caps.cell()
            ref = CELL_REF.fullmatch(element.get("r", ""))
            column = column_index_from_string(ref.group(1)) if ref else column + 1
            value = cells.value(element)
            if value is not None and value != "":
                caps.column(int(ref.group(2)) if ref else row_number + 1, column)
                values[column] = value
        elif tag == "row":
            caps.row()
            row_number = int(element.get("r") or row_number + 1)
            yield row_number, values
            values, column = {}, 0
