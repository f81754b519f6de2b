"""The archive's PDFs: the class journal of one subject and the class's summary sheet, as document specs.

Here the spec is made (every text translated, in Russian); `pdfwork.py` lays it out and draws it with ReportLab,
in this process or in the build's worker processes. Reproducible: the document's date is the period's end, its
identifier comes from its content (ReportLab's invariant mode), the fonts are embedded as subsets.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from ejournal.diary.pdf import PdfUnavailable

from .build_parts import column_title, grid_pages, period_keys, short_name, summary_rows
from .pdfwork import PdfEngineMissing, pdf_job

LESSONS_PER_PAGE = 22
SUBJECTS_PER_PAGE = 4
NAME_MM, NUMBER_MM = 42, 7


def render_now(job: tuple[dict, str, int]) -> bytes:
    try:
        return pdf_job(job)
    except PdfEngineMissing as exc:
        raise PdfUnavailable(str(exc)) from exc


def _epoch(period) -> int:
    return int(dt.datetime.combine(period.last, dt.time(), tzinfo=dt.UTC).timestamp())


def base_keys(period, data: dict) -> list[str]:
    """The period columns every subject shows: the archived term's alone, or each term of the year and the year."""
    if period.term:
        return [f"term{period.term.number}"]
    return [f"term{n}" for n in sorted(data["terms"])] + ["year"]


def _doc(period, cls, *, title: str, subject=None, blocks: list[dict]) -> dict:
    parts = [period.school.short_name, f"{cls.grade} «{cls.letter}»", subject.name if subject else "",
             period.year.name, str(period.term) if period.term else ""]  # fmt: skip
    return {
        "title": title, "author": period.school.full_name, "running": " · ".join(p for p in parts if p),
        "page_word": _("Страница"), "of_word": _("из"), "fonts": str(settings.ARCHIVE_FONT_DIR), "blocks": blocks,
    }  # fmt: skip


def _class_line(cls) -> str:
    return _("%(grade)s «%(letter)s» класс") % {"grade": cls.grade, "letter": cls.letter}


def _year_line(period) -> str:
    line = _("%(year)s учебный год") % {"year": period.year.name}
    return f"{line}, {period.term}" if period.term else line


def _sign(role: str, name: str) -> str:
    return f"{role}: ____________________ / {name or '____________________'} /"


def journal_pdf(period, cls, subject, part, data, names, *, ident: str) -> tuple[dict, str, int]:
    """The print journal of one class × subject: title page, mark grid pages, period marks, lessons, signatures."""
    students = list(data["students"].values())
    teachers = ", ".join(sorted({names["people"].get(x["teacher_id"], "") for x in part["lessons"]} - {""}))
    with translation.override("ru"):
        title = [
            {"text": period.school.full_name, "after": 2},
            {"text": _("Классный журнал"), "size": 16, "bold": True, "after": 4},
            {"text": _class_line(cls)},
            {"text": subject.name, "bold": True},
            {"text": _year_line(period)},
            {"text": f"{_('Учитель')}: {teachers or '—'}"},
            {"text": _("Распечатка электронного журнала за %(first)s — %(last)s")
             % {"first": f"{period.first:%d.%m.%Y}", "last": f"{period.last:%d.%m.%Y}"}, "size": 7, "gray": 0.2},
        ]  # fmt: skip
        blocks = [{"type": "title", "lines": title}]
        name_head = _("Фамилия, имя обучающегося")
        for page in grid_pages(part, students, LESSONS_PER_PAGE):
            blocks += [{"type": "page"}, {"type": "heading", "text": _("Отметки и посещаемость")}]
            blocks.append(_grid([f"{x['date']:%d.%m}" for x in page["columns"]], name_head, page["rows"],
                                lesson_mm=(297 - 20 - NAME_MM - NUMBER_MM) / LESSONS_PER_PAGE))  # fmt: skip
        keys = period_keys(base_keys(period, data), {k for marks in part["period"].values() for k in marks})
        rows = [{"n": n, "name": short_name(s["student"]), "cells": [part["period"][s["id"]].get(k, "") for k in keys]}
                for n, s in enumerate(students, 1)]  # fmt: skip
        blocks += [{"type": "page"}, {"type": "heading", "text": _("Отметки за периоды, год, экзамен, итоговые")},
                   _grid([column_title(k, data["terms"]) for k in keys], name_head, rows, lesson_mm=25)]  # fmt: skip
        blocks += [{"type": "page"}, {"type": "heading", "text": _("Уроки: темы и домашние задания")},
                   _lessons(part["lessons"], names["people"]),
                   {"type": "sign", "lines": [_sign(_("Учитель"), teachers), _sign(_("Директор"), names["director"]),
                                              f"{_('М. П.')}     «____» ______________ 20___ г."]}]  # fmt: skip
        spec = _doc(period, cls, subject=subject, blocks=blocks,
                    title=f"{_('Классный журнал')}: {cls.grade} «{cls.letter}», {subject.name}, {period.year.name}")  # fmt: skip
    return spec, ident, _epoch(period)


def _grid(titles: list[str], name_head: str, rows: list[dict], *, lesson_mm: float) -> dict:
    header = [{"row": 0, "col": 0, "text": "№"}, {"row": 0, "col": 1, "text": name_head}]
    header += [{"row": 0, "col": i + 2, "text": t} for i, t in enumerate(titles)]
    return {
        "type": "table", "widths": [NUMBER_MM, NAME_MM] + [lesson_mm] * len(titles), "header": header,
        "align": ["c", "l"] + ["c"] * len(titles),
        "rows": [[str(r["n"]), r["name"], *r["cells"]] for r in rows], "empty": _("Обучающихся нет."),
    }  # fmt: skip


def _lessons(lessons: list[dict], people: dict) -> dict:
    rows = []
    for x in lessons:
        number = f"{x['lesson_number']}" + (f" ({x['subgroup__name']})" if x["subgroup__name"] else "")
        if x["status"] == "cancelled":
            number += f" — {_('отменён')}"
        elif x["status"] == "moved":
            number += f" — {_('перенесён')}"
        rows.append([f"{x['date']:%d.%m.%Y}", number, x["topic"], x["homework__text"] or "",
                     people.get(x["teacher_id"], "")])  # fmt: skip
    titles = [_("Дата"), _("Урок"), _("Тема урока"), _("Домашнее задание"), _("Учитель")]
    return {
        "type": "table", "widths": [20, 26, 115, 60, None], "size": 7,
        "header": [{"row": 0, "col": i, "text": t} for i, t in enumerate(titles)],
        "align": ["l"] * 5, "wrap": [False, True, True, True, True], "rows": rows,
        "empty": _("Уроков в периоде нет."),
    }  # fmt: skip


def summary_pdf(period, cls, subjects, data, names, *, ident: str) -> tuple[dict, str, int]:
    """The class's сводная ведомость: students × subjects × the period's columns, four subjects a table."""
    students = list(data["students"].values())
    chunks = [subjects[i : i + SUBJECTS_PER_PAGE] for i in range(0, len(subjects), SUBJECTS_PER_PAGE)] or [[]]
    base = base_keys(period, data)
    with translation.override("ru"):
        name_head = _("Фамилия, имя обучающегося")
        blocks = [
            {"type": "heading", "text": _("Сводная ведомость учёта успеваемости обучающихся"), "size": 16, "after": 3},
            {"type": "para", "text": f"{period.school.full_name} · {_class_line(cls)} · {_year_line(period)}",
             "after": 3},
        ]  # fmt: skip
        for chunk in chunks:
            blocks.append(_summary_table(summary_rows(chunk, students, data, base), name_head))
        blocks.append({"type": "sign", "lines": [
            _sign(_("Классный руководитель"), names["people"].get(cls.class_teacher_id, "")),
            _sign(_("Директор"), names["director"]), _("М. П.")]})  # fmt: skip
        spec = _doc(period, cls, blocks=blocks,
                    title=f"{_('Сводная ведомость учёта успеваемости')}: {cls.grade} «{cls.letter}», {period.year.name}")  # fmt: skip
    return spec, ident, _epoch(period)


def _summary_table(table: dict, name_head: str) -> dict:
    header = [{"row": 0, "col": 0, "rows": 2, "text": "№"}, {"row": 0, "col": 1, "rows": 2, "text": name_head}]
    col = 2
    for head in table["heads"]:
        header.append({"row": 0, "col": col, "cols": len(head["keys"]), "text": head["subject"].name})
        header += [{"row": 1, "col": col + i, "text": t} for i, t in enumerate(head["titles"])]
        col += len(head["keys"])
    widths = []
    for head in table["heads"]:  # a subject at least 36 mm wide (its name on two or three lines), a column 10 mm
        widths += [max(10.0, 36.0 / len(head["keys"]))] * len(head["keys"])
    room = 297 - 20 - NAME_MM - NUMBER_MM
    widths = [w * min(1.0, room / sum(widths)) for w in widths] if widths else []
    columns = len(widths)
    return {
        "type": "table", "widths": [NUMBER_MM, NAME_MM, *widths], "header": header,
        "align": ["c", "l"] + ["c"] * columns, "after": 4,
        "rows": [[str(r["n"]), r["name"], *r["cells"]] for r in table["rows"]], "empty": _("Обучающихся нет."),
    }  # fmt: skip
