"""Files are hostile: the one reader streams them, ignores declared sizes, dimensions and encodings, and caps them."""

from __future__ import annotations

import io
import zipfile

import pytest

from ejournal.core.imports.readers import ImportFileError, read_table

from .hostile_files import (
    bomb_xlsx,
    many_rows_xlsx,
    mixed_encoding_csv,
    peak_of_reading,
    sheet_xml,
    text_cell,
    text_row,
    understated_xlsx,
    xlsx_with_sheet,
)

HEADER = ["Фамилия", "Имя"]
PEOPLE = [["Петрова", "Анна"], ["Ёлкин", "Пётр"], ["Сидоров", "Иван"], ["Орлова", "Вера"], ["Белов", "Глеб"]]


@pytest.fixture(scope="session")
def many_rows_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("hostile") / "rows.xlsx"
    path.write_bytes(many_rows_xlsx(rows=300_000))
    return path


def test_a_6_kb_workbook_declaring_the_whole_grid_is_refused_before_it_is_opened(tmp_path):
    data = bomb_xlsx()
    assert len(data) < 8 * 1024
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(data)
    outcome = peak_of_reading(path)
    assert outcome.get("error", outcome).startswith("Файл Excel сжат подозрительно сильно"), outcome
    assert outcome["peak_rss_mb"] < 200 and outcome["cpu_seconds"] < 2, outcome


def test_without_the_ratio_cap_the_bomb_streams_in_bounded_memory_and_hits_the_cells_cap(settings, tmp_path):
    settings.IMPORT_MAX_COMPRESSION_RATIO = 0  # off: the streaming reader alone must hold
    settings.IMPORT_MAX_CELLS = 100_000
    with pytest.raises(ImportFileError, match=r"больше 100[\s\xa0]000 ячеек"):
        read_table(bomb_xlsx(), "bomb.xlsx")


def test_300000_rows_are_refused_at_the_row_cap_quickly_and_in_bounded_memory(many_rows_file):
    outcome = peak_of_reading(many_rows_file)
    assert outcome.get("error", outcome) == (
        "В файле больше 20\xa0000 строк (предел загрузки, IMPORT_MAX_ROWS). Разбейте файл на части."
    ), outcome
    assert outcome["peak_rss_mb"] < 200 and outcome["cpu_seconds"] < 5, outcome


def test_declared_uncompressed_size_over_the_cap_is_refused_before_opening(settings):
    settings.IMPORT_MAX_UNCOMPRESSED_MB = 1
    rows = "".join(text_row(n, ["Фамилия" if n == 1 else f"Иванов {n}"]) for n in range(1, 30_000))
    with pytest.raises(ImportFileError, match=r"больше 1 МБ в распакованном виде"):
        read_table(xlsx_with_sheet(sheet_xml(rows)), "big.xlsx")


def test_a_dimension_that_understates_the_rows_does_not_hide_them():
    table = read_table(understated_xlsx(HEADER, PEOPLE), "people.xlsx")
    assert table.headers == HEADER
    assert table.rows == [(n, person) for n, person in enumerate(PEOPLE, start=2)]


def test_empty_styled_cells_out_to_xfd_are_trimmed_not_built():
    empties = "".join(f'<c r="{col}2" s="1"/>' for col in ("Z", "AAA", "XFD"))
    body = text_row(1, HEADER) + f'<row r="2">{text_cell("A2", "Петрова")}{text_cell("B2", "Анна")}{empties}</row>'
    table = read_table(xlsx_with_sheet(sheet_xml(body, dimension="A1:XFD1048576")), "people.xlsx")
    assert table.rows == [(2, ["Петрова", "Анна"])]


def test_a_value_beyond_the_column_cap_is_refused_naming_the_cap(settings):
    settings.IMPORT_MAX_COLUMNS = 50
    body = text_row(1, HEADER) + f'<row r="2">{text_cell("A2", "Петрова")}{text_cell("XFD2", "x")}</row>'
    with pytest.raises(
        ImportFileError, match=r"Строка 2: значение в столбце 16384, а столбцов может быть не больше 50"
    ):
        read_table(xlsx_with_sheet(sheet_xml(body)), "wide.xlsx")


def test_rows_and_cells_caps_apply_to_csv_too(settings):
    settings.IMPORT_MAX_ROWS = 3
    data = "\r\n".join(";".join(r) for r in [HEADER, *PEOPLE]).encode()
    with pytest.raises(ImportFileError, match="В файле больше 3 строк"):
        read_table(data, "people.csv")
    settings.IMPORT_MAX_ROWS = 100
    settings.IMPORT_MAX_CELLS = 20
    with pytest.raises(ImportFileError, match="В файле больше 20 ячеек"):
        read_table("Фамилия;Имя\r\n".encode() + b";" * 40, "people.csv")


def test_shared_strings_dates_and_formulas_read_as_before():
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["Фамилия", "Дата рождения", "Номер"])
    import datetime as dt

    book.active.append(["Ёлкина", dt.date(2015, 3, 14), 15.0])
    book.active.append(['=HYPERLINK("x")', "'=1+2", 2.5])
    out = io.BytesIO()
    book.save(out)
    table = read_table(out.getvalue(), "people.xlsx")
    assert table.rows == [(2, ["Ёлкина", "14.03.2015", "15"]), (3, ['=HYPERLINK("x")', "=1+2", "2.5"])]


def test_a_zip_that_is_not_a_workbook_or_is_damaged_is_refused():
    fake = io.BytesIO()
    with zipfile.ZipFile(fake, "w") as z:
        z.writestr("hello.txt", "not a workbook")
    with pytest.raises(ImportFileError, match="Не удалось прочитать книгу Excel"):
        read_table(fake.getvalue(), "a.xlsx")
    broken = xlsx_with_sheet(sheet_xml(text_row(1, HEADER)).replace("</sheetData>", "<row><c>"))
    with pytest.raises(ImportFileError, match="Не удалось прочитать книгу Excel"):
        read_table(broken, "a.xlsx")


# --- encodings ------------------------------------------------------------------------------


def test_a_csv_of_windows_1251_rows_then_utf8_rows_is_refused_naming_the_first_bad_row():
    data = mixed_encoding_csv(HEADER, PEOPLE[:2], PEOPLE[2:])
    with pytest.raises(ImportFileError) as refused:
        read_table(data, "people.csv")
    assert str(refused.value) == (
        "Строка 4 записана в кодировке UTF-8, а строки выше — в Windows-1251: файл собран из частей в разных "
        "кодировках, и имена были бы искажены. Сохраните весь файл в одной кодировке — «CSV UTF-8» — "
        "и загрузите снова."
    )


def test_a_csv_of_utf8_rows_then_windows_1251_rows_is_refused_too():
    first = "\r\n".join(";".join(r) for r in [HEADER, PEOPLE[0]]).encode("utf-8-sig")
    data = first + b"\r\n" + ";".join(PEOPLE[1]).encode("cp1251")
    with pytest.raises(ImportFileError, match="Строка 3 записана в кодировке Windows-1251, а строки выше — в UTF-8"):
        read_table(data, "people.csv")


@pytest.mark.parametrize("encoding", ["cp1251", "utf-8", "utf-8-sig"])
def test_a_csv_in_one_encoding_is_read_whatever_it_is(encoding):
    data = "\r\n".join(";".join(r) for r in [HEADER, *PEOPLE]).encode(encoding)
    assert [cells for _n, cells in read_table(data, "people.csv").rows] == PEOPLE


def test_a_sheet_expanding_entities_billion_laughs_is_refused_as_damaged():
    entities = '<!ENTITY a0 "ha">' + "".join(f'<!ENTITY a{n} "{f"&a{n - 1};" * 10}">' for n in range(1, 10))
    xml = sheet_xml('<row r="1"><c r="A1" t="inlineStr"><is><t>&a9;</t></is></c></row>')
    xml = xml.replace("<worksheet", f"<!DOCTYPE worksheet [{entities}]><worksheet", 1)
    with pytest.raises(ImportFileError, match="Не удалось прочитать книгу Excel"):
        read_table(xlsx_with_sheet(xml), "laughs.xlsx")
