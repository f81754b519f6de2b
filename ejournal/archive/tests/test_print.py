"""The archive's print documents read as a person reads them: their text (pdftotext), Cyrillic, page numbers, columns."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from ejournal.schools.models import Term

from ..build import Period, archive_build
from .data import term_of_marks

PDFTOTEXT = shutil.which("pdftotext")
pytestmark = pytest.mark.skipif(PDFTOTEXT is None, reason="pdftotext (poppler-utils) is not installed")


def _text(path: Path) -> str:
    assert PDFTOTEXT is not None  # the module is skipped without it
    return subprocess.run([PDFTOTEXT, "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout  # noqa: S603


def _term_archive(world, tmp_path: Path) -> Path:
    data = term_of_marks(world)
    out = tmp_path / "a"
    archive_build(Period(school=world.school, year=world.year, term=data["term"]), out)
    return out


def test_a_term_archive_names_the_term_column_as_the_calendar_does_and_has_no_year_column(world, tmp_path):
    """«1 ч.» for a quarter (not «1 пер.»), and no «Год» before the year has ended: the summary and the journal."""
    out = _term_archive(world, tmp_path)
    summary = _text(out / f"summary/05a-{world.cls.pk}.pdf")
    journal = _text(out / f"journals/05a-{world.cls.pk}/100-matematika.pdf")
    for text in (summary, journal):
        assert "1 ч." in text
        assert "пер." not in text
        assert "Год" not in text
    header = next(line for line in summary.splitlines() if "1 ч." in line)
    assert header.count("1 ч.") == 2  # English and maths, each with the term's column alone


def test_a_trimester_school_reads_tr_in_its_term_column(world, tmp_path):
    Term.objects.filter(school=world.school, year=world.year).update(kind=Term.Kind.TRIMESTER)
    out = _term_archive(world, tmp_path)
    assert "1 тр." in _text(out / f"summary/05a-{world.cls.pk}.pdf")


def test_the_print_journal_is_cyrillic_text_with_numbered_pages_lessons_marks_and_signatures(world, tmp_path):
    out = _term_archive(world, tmp_path)
    text = _text(out / f"journals/05a-{world.cls.pk}/100-matematika.pdf")
    pages = text.split("\f")
    assert "Классный журнал" in pages[0] and "Математика" in pages[0]
    assert "Страница 1 из 4" in pages[0] and "Страница 4 из 4" in pages[3]
    assert "Отметки и посещаемость" in pages[1] and "07.09" in pages[1]
    assert "Натуральные числа, урок 1" in pages[3] and "№ 12, 14 на с. 7" in pages[3]
    assert "Учитель: ____________________ / Попова Елена Сергеевна /" in pages[3]
    assert "Директор:" in pages[3]
    assert "Фамилия, имя" in pages[1] and "обучающегося" in pages[1]  # the header wraps, it is not cut


def test_a_homework_longer_than_a_page_continues_on_the_next_page_not_cut(tmp_path, settings):
    from ..pdfwork import pdf_bytes

    text = " ".join(f"упражнение {n}" for n in range(1, 1201))
    header = [{"row": 0, "col": i, "text": t} for i, t in enumerate(["Дата", "Урок", "Тема", "Домашнее задание"])]
    table = {"type": "table", "widths": [20, 26, 115, None], "header": header, "align": ["l"] * 4,
             "wrap": [False, True, True, True], "rows": [["01.09.2026", "1", "Дроби", text], ["02.09.2026", "2", "Проценты", ""]]}  # fmt: skip
    spec = {"title": "t", "author": "a", "running": "СОШ", "page_word": "Страница", "of_word": "из",
            "fonts": str(settings.ARCHIVE_FONT_DIR), "blocks": [table]}  # fmt: skip
    (tmp_path / "long.pdf").write_bytes(pdf_bytes(spec, "long", 0))
    read = _text(tmp_path / "long.pdf")
    words = read.split()
    assert "упражнение" in words and "1200" in words and "Проценты" in words
    assert sum(w.isdigit() and 1 <= int(w) <= 1200 for w in words) >= 1200  # every number printed
    assert "Страница 1 из" in read and read.count("Домашнее задание") == read.count("\f")  # the header on each page
