"""The reports as tables and charts: one structure that the page, the PDF and the XLSX all show.

Only presentation: the numbers come from the selectors; here they get their Russian headers and order.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .achievement import Achievement
from .attendance import REASONS, ClassAttendance, StudentAttendance
from .charts import bar_chart
from .formulas import Figures, delta
from .programme import DeliveryRow, DensityRow

SECTIONS = {
    "all": gettext_lazy("Весь отчёт"),
    "achievement": gettext_lazy("Успеваемость и качество"),
    "lists": gettext_lazy("Списки обучающихся"),
    "attendance": gettext_lazy("Посещаемость"),
    "programme": gettext_lazy("Выполнение программы"),
    "density": gettext_lazy("Накопляемость отметок"),
}
GROUPINGS = {
    "class": gettext_lazy("по классам"),
    "grade": gettext_lazy("по параллелям"),
    "subject": gettext_lazy("по предметам"),
    "teacher": gettext_lazy("по учителям"),
}


@dataclass
class Table:
    title: str
    header: list[str]
    rows: list[list[Any]] = field(default_factory=list)
    note: str = ""
    empty: str = ""


@dataclass
class Chart:
    url: str
    alt: str


def _figures_header(first: str) -> list[str]:
    return [first, _("Всего (N)"), _("«5»"), _("«4»"), _("«3»"), _("«2»"), _("н/а"),
            _("Успеваемость, %"), _("Качество, %"), _("СОУ, %"), _("Средний балл")]  # fmt: skip


def _figures_cells(f: Figures) -> list[Any]:
    r = f.row()
    return [r["n"], r["n5"], r["n4"], r["n3"], r["n2"], r["nna"], r["pass_rate"], r["quality"], r["sou"], r["average"]]


def _grouped(a: Achievement, by: str) -> list[tuple[str, Figures]]:
    if by == "grade":
        return [(_("%(grade)s классы") % {"grade": g}, f) for g, f in a.by_grade()]
    if by == "subject":
        return [(name, a.by_subject[sid]) for sid, name in a.subjects.items() if sid in a.by_subject]
    if by == "teacher":
        return sorted(((a.teachers.get(tid, "—"), f) for tid, f in a.by_teacher.items()), key=lambda x: x[0])
    return [(c.label, c.figures) for c in a.classes]


def achievement_tables(a: Achievement, previous: Achievement | None, by: str, *, per_class: bool = False
                       ) -> tuple[list[Table], list[Chart]]:  # fmt: skip
    """The figures grouped `by`; `per_class` (a class's report) first adds the class's own line, by students."""
    rows = _grouped(a, by)
    first = {"class": _("Класс"), "grade": _("Параллель"), "subject": _("Предмет"), "teacher": _("Учитель")}[by]
    table = Table(title=_("Итоги: %(period)s, %(by)s") % {"period": a.period.label, "by": GROUPINGS[by]},
                  header=_figures_header(first), empty=_("Отметок за период нет."),
                  note=_("Классы, параллели и школа считаются по обучающимся, предметы и учителя — по отметкам."))  # fmt: skip
    for label, f in rows:
        table.rows.append([label, *_figures_cells(f)])
    if rows:
        table.rows.append([_("Школа") if by in ("class", "grade") else _("Всего"), *_figures_cells(
            a.school if by in ("class", "grade") else _sum(f for _l, f in rows))])  # fmt: skip
    tables = [table]
    if per_class:
        own = Table(title=_("Итоги класса (по обучающимся)"), header=_figures_header(_("Класс")),
                    empty=_("Отметок за период нет."))  # fmt: skip
        own.rows = [[c.label, *_figures_cells(c.figures)] for c in a.classes]
        tables.insert(0, own)
        rows_before = [(c.label, c.figures) for c in a.classes]
    if previous is not None:
        before = dict(_grouped(previous, by))
        dyn = Table(title=_("Динамика к периоду «%(period)s»") % {"period": previous.period.label},
                    header=[first, _("Успеваемость, %"), _("изменение"), _("Качество, %"), _("изменение"),
                            _("СОУ, %"), _("изменение")])  # fmt: skip
        compared = rows_before if per_class else [*rows, (_("Школа"), a.school)]
        if per_class:
            before = {c.label: c.figures for c in previous.classes}
        for label, f in compared:
            b = before.get(label) if label != _("Школа") else previous.school
            dyn.rows.append([label, f.pass_rate, _signed(delta(f.pass_rate, b.pass_rate if b else None)), f.quality,
                             _signed(delta(f.quality, b.quality if b else None)), f.sou,
                             _signed(delta(f.sou, b.sou if b else None))])  # fmt: skip
        tables.append(dyn)
    charts = []
    if rows:
        labels = [label for label, _f in rows]
        charts.append(Chart(bar_chart(title=str(table.title), labels=labels, series=[
            (_("Успеваемость, %"), [f.pass_rate for _l, f in rows]), (_("Качество, %"), [f.quality for _l, f in rows]),
            (_("СОУ, %"), [f.sou for _l, f in rows])]),
            _("Диаграмма: успеваемость, качество и СОУ; числа — в таблице ниже.")))  # fmt: skip
    return tables, charts


def _sum(items) -> Figures:
    total = Figures()
    for f in items:
        total.merge(f)
    return total


def _signed(value) -> str:
    if value is None:
        return "—"
    return f"+{value}" if value > 0 else str(value)


LIST_TITLES = {
    "5": gettext_lazy("Отличники"), "4": gettext_lazy("Хорошисты"), "one4": gettext_lazy("С одной «4»"),
    "one3": gettext_lazy("С одной «3»"), "2": gettext_lazy("Неуспевающие"), "na": gettext_lazy("Не аттестованы (н/а)"),
}  # fmt: skip


def lists_tables(a: Achievement) -> list[Table]:
    lists = a.lists()
    out = []
    for key, title in LIST_TITLES.items():
        students = lists[key]
        t = Table(title=f"{title}: {len(students)}", header=[_("Обучающийся"), _("Класс"), _("Отметки ниже «5»")],
                  empty=_("Нет."))  # fmt: skip
        for s in students:
            low = ", ".join(
                f"{a.subjects.get(sid, '')} — {v}" for sid, v in s.marks.items() if v not in ("5", "осв", "зач")
            )
            t.rows.append([s.name, s.class_label, low])
        out.append(t)
    return out


def attendance_tables(classes: list[ClassAttendance], *, per_student: bool) -> tuple[list[Table], list[Chart]]:
    reasons = [_("пропущено уроков: %(code)s") % {"code": c} for c in REASONS]
    days = [_("дней: %(code)s") % {"code": c} for c in REASONS]
    t = Table(title=_("Пропуски уроков и дней по причинам"), empty=_("Обучающихся нет."),
              header=[_("Обучающийся") if per_student else _("Класс"), _("Уроков"), *reasons, _("Всего уроков"),
                      *days, _("Всего дней"), _("Опозданий"), _("Пропущено, %")],
              note=_("День считается пропущенным, если пропущены все его уроки."))  # fmt: skip
    over = Table(title=_("Пропустили больше порога"), header=[_("Класс"), _("Обучающийся"), _("Уроков"),
                 _("Пропущено"), _("Пропущено, %")], empty=_("Нет."))  # fmt: skip
    for c in classes:
        items = c.students if per_student else [c]
        for s in items:
            if isinstance(s, StudentAttendance):  # per student
                name, late = s.name, s.late
                missed, days_off = [s.missed[r] for r in REASONS], [s.days[r] for r in REASONS]
            else:
                name, late = s.label, s.total("late")
                missed, days_off = [s.total("missed", r) for r in REASONS], [s.total("days", r) for r in REASONS]
            t.rows.append([name, s.lessons, *missed, s.missed_total, *days_off, s.days_total, late, s.share])
        for s in c.over_alert:
            over.rows.append([c.label, s.name, s.lessons, s.missed_total, s.share])
    charts = []
    if classes and not per_student:
        charts.append(Chart(bar_chart(title=_("Пропущено уроков, %"), labels=[c.label for c in classes],
                                      series=[(_("Пропущено, %"), [c.share for c in classes])], max_value=None),
                            _("Диаграмма: доля пропущенных уроков по классам; числа — в таблице ниже.")))  # fmt: skip
    return [t, over], charts


def programme_tables(rows: list[DeliveryRow]) -> tuple[list[Table], list[Chart]]:
    t = Table(title=_("Выполнение программы"), empty=_("Уроков за период нет."),
              header=[_("Класс"), _("Группа"), _("Предмет"), _("Учитель"), _("По плану, ч"), _("На сегодня по плану, ч"),
                      _("Дано, ч"), _("Отставание, ч"), _("Часов в КТП"), _("Отставание от КТП, ч")],
              note=_("Дано — проведённые уроки с записанной темой; отставание от КТП — проведённые с начала года уроки "
                     "минус часы тем КТП до последней пройденной."))  # fmt: skip
    for r in rows:
        t.rows.append([r.class_label, r.subgroup, r.subject, r.teacher, r.planned, r.planned_to_date, r.given, r.behind,
                       r.ktp_hours if r.ktp_hours is not None else _("нет КТП"), r.lag if r.lag is not None else "—"])  # fmt: skip
    return [t], []


def density_tables(rows: list[DensityRow], *, is_year: bool) -> tuple[list[Table], list[Chart]]:
    t = Table(title=_("Обучающиеся ниже нормы накопляемости отметок"),
              header=[_("Класс"), _("Обучающийся"), _("Предмет"), _("Учитель"), _("Отметок"), _("Норма")],
              empty=_("За год накопляемость не считается: выберите четверть или полугодие.") if is_year
              else _("Все обучающиеся набрали норму отметок."))  # fmt: skip
    for r in rows:
        t.rows.append([r.class_label, r.student, r.subject, r.teacher, r.marks, r.required])
    return [t], []
