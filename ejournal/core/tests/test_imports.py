"""The import framework on its own: reading files, matching headers, parsing cells, blank files, rows."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from ejournal.core.imports import fields as f
from ejournal.core.imports.base import Importer, Row, require_one_of
from ejournal.core.imports.readers import ImportFileError, read_table
from ejournal.core.imports.template_files import template_build

NAME = f.Column("name", "Фамилия", ("Фамилия ученика",), required=True)
BORN = f.Column("born", "Дата рождения", ("ДР",))
PHONE = f.Column("phone", "Телефон")


class PupilImporter(Importer):
    kind = "pupils"
    title = "Ученики"
    columns = (NAME, BORN)
    examples = ({"name": "=1+2", "born": "01.09.2015"},)


@pytest.mark.parametrize(("encoding", "delimiter"), [("cp1251", ";"), ("utf-8-sig", ","), ("utf-8", "\t")])
def test_csv_is_read_in_either_encoding_with_any_usual_delimiter(encoding, delimiter):
    data = (delimiter.join(["Фамилия", "ДР"]) + "\r\n\r\nЁлкин").encode(encoding)
    table = read_table(data, "pupils.CSV")
    assert table.headers == ["Фамилия", "ДР"]
    assert table.rows == [(3, ["Ёлкин", ""])]


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b" \r\n", "a.csv", "Файл пустой"),
        (b"x", "a.xls", r"только файлы \.xlsx и \.csv"),
        (b"not a zip", "a.xlsx", "не является книгой Excel"),
        ("Name;Born".encode("utf-16"), "a.csv", "Не удалось определить кодировку"),
    ],
)
def test_unusable_files_are_refused_with_a_message(data, name, message):
    with pytest.raises(ImportFileError, match=message):
        read_table(data, name)


def test_headers_match_ignoring_case_spaces_punctuation_and_synonyms():
    assert f.match_headers((NAME, BORN), [" фамилия ученика.", "др"]) == {"name": 0, "born": 1}
    with pytest.raises(ImportFileError, match=r"нет обязательных столбцов: Фамилия\. Найдены столбцы: ДР"):
        f.match_headers((NAME, BORN), ["ДР"])
    with pytest.raises(ImportFileError, match="нужны «Телефон» или «Дата рождения»"):
        require_one_of({"name": 0}, (PHONE,), (BORN,))


@pytest.mark.parametrize(
    ("parser", "value", "expected"),
    [
        (f.class_name, "5 «а»", (5, "А")),
        (f.class_name, "11-B", (11, "В")),
        (f.phone, "8 (918) 123-45-67", "+79181234567"),
        (f.email, "Ivan@Mail.RU", "ivan@mail.ru"),
        (f.date, "2026-09-01", dt.date(2026, 9, 1)),
        (f.yes_no, "Да.", True),
        (f.full_name, "Иванова Мария", ("Иванова", "Мария", "")),
    ],
)
def test_generic_parsers_normalise_what_schools_type(parser, value, expected):
    assert parser(value) == expected


@pytest.mark.parametrize(("parser", "value"), [(f.grade, "12"), (f.phone, "123"), (f.yes_no, "может"), (f.date, "x")])
def test_generic_parsers_refuse_nonsense_with_a_cell_error(parser, value):
    with pytest.raises(f.CellError):
        parser(value)


def test_row_collects_errors_under_the_files_own_column_names():
    errors: list = []
    row = Row(7, ["", "31.02.2015"], {"name": 0, "born": 1}, ["ФИО", "ДР"], errors)
    assert row.value("name", required=True) is None
    assert row.value("born", f.birth_date) is None
    assert not row.ok
    assert [(e["row"], e["column"]) for e in errors] == [(7, "ФИО"), (7, "ДР")]


def test_blank_file_has_the_columns_and_neutralised_examples():
    content, _type, name = template_build(importer=PupilImporter, fmt="xlsx")
    sheet = load_workbook(io.BytesIO(content)).active
    assert name == "pupils.xlsx" and sheet.title == "Ученики"
    assert [c.value for c in sheet[1]] == ["Фамилия", "Дата рождения"]
    assert sheet["A2"].value == "'=1+2"
    csv_content, _type, _name = template_build(importer=PupilImporter, fmt="csv")
    assert csv_content.decode("utf-8-sig").splitlines() == ["Фамилия;Дата рождения", "'=1+2;01.09.2015"]
