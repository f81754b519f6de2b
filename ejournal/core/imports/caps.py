"""The hard caps of an uploaded table (settings), counted while it is read; the file's refusal."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _


class ImportFileError(Exception):
    """The file as a whole cannot be used; the message is for the user."""


def number(value: int) -> str:
    """20000 → «20 000», with a no-break space, as Russian text writes it."""
    return f"{value:,}".replace(",", "\xa0")


@dataclass
class Caps:
    """Rows, columns, cells and unpacked bytes one file may have; rows and cells are counted as they are read.

    Every row and cell the file holds counts, empty or not (a thousand styled empty rows cost as much to
    read as full ones); a column only counts when it has a value, so the empty styled cells spreadsheet
    programs leave to the right are dropped, never built.
    """

    rows: int
    columns: int
    cells: int
    unpacked_bytes: int
    ratio: int  # 0: the compression ratio is not checked
    rows_read: int = 0
    cells_read: int = 0

    @classmethod
    def from_settings(cls) -> Caps:
        return cls(
            rows=settings.IMPORT_MAX_ROWS,
            columns=settings.IMPORT_MAX_COLUMNS,
            cells=settings.IMPORT_MAX_CELLS,
            unpacked_bytes=settings.IMPORT_MAX_UNCOMPRESSED_MB * 1024 * 1024,
            ratio=settings.IMPORT_MAX_COMPRESSION_RATIO,
        )

    def row(self) -> None:
        self.rows_read += 1
        if self.rows_read > self.rows:
            raise ImportFileError(
                _("В файле больше %(max)s строк (предел загрузки, IMPORT_MAX_ROWS). Разбейте файл на части.")
                % {"max": number(self.rows)}
            )

    def cell(self, count: int = 1) -> None:
        self.cells_read += count
        if self.cells_read > self.cells:
            raise self.too_many_cells()

    def too_many_cells(self) -> ImportFileError:
        return ImportFileError(
            _(
                "В файле больше %(max)s ячеек (предел загрузки, IMPORT_MAX_CELLS). Разбейте файл на части "
                "или удалите пустые оформленные строки и столбцы."
            )
            % {"max": number(self.cells)}
        )

    def column(self, row: int, column: int) -> None:
        """Refuse a value beyond the last column a file may use."""
        if column > self.columns:
            raise ImportFileError(
                _(
                    "Строка %(row)s: значение в столбце %(column)s, а столбцов может быть не больше %(max)s "
                    "(предел загрузки, IMPORT_MAX_COLUMNS). Удалите лишние столбцы."
                )
                % {"row": row, "column": column, "max": number(self.columns)}
            )
