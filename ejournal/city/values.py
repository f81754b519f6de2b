"""Report values as stored in `MonthlyReportRow.data` (JSON): parse from a cell, convert from Python, total."""

from __future__ import annotations

import calendar
import dataclasses
import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ejournal.core.imports.fields import CellError, date, name_key

from .models import Stage
from .report_fields import AVERAGED, BY_KEY, FIELDS, SUMMED, Field

TEXT_MAX = 2000


def to_json(field: Field, value: Any) -> Any:
    """A Python value (from a form, an importer or a selector) as the row's JSON keeps it."""
    if value is None or value == "":
        return None
    if field.kind == "int":
        return int(value)
    if field.kind in ("pct", "decimal"):
        return str(Decimal(value).quantize(Decimal("0.1")))
    if field.kind == "date":
        return value.isoformat() if isinstance(value, dt.date) else str(value)
    return str(value)


def from_json(field: Field, value: Any) -> Any:
    """The stored value back as Python: Decimal, date, int or text."""
    if value is None:
        return None
    if field.kind in ("pct", "decimal"):
        return Decimal(value)
    if field.kind == "date":
        return dt.date.fromisoformat(value)
    return value


def parse_cell(field: Field, raw: str) -> Any:
    """Parse an uploaded cell (non-empty) or raise CellError with a Russian message."""
    if field.kind == "int":
        if not raw.isdigit():
            raise CellError(_("Ожидается целое неотрицательное число, а не «%(value)s».") % {"value": raw})
        return int(raw)
    if field.kind in ("pct", "decimal"):
        try:
            number = Decimal(raw.replace(",", ".").replace("%", "").strip())
        except InvalidOperation:
            raise CellError(_("Ожидается число, а не «%(value)s».") % {"value": raw}) from None
        if number < 0 or (field.kind == "pct" and number > 100):
            raise CellError(_("Значение вне допустимого диапазона: %(value)s.") % {"value": raw})
        return number
    if field.kind == "date":
        return date(raw)
    if field.kind == "stage":
        return stage_parse(raw)
    if field.kind == "url":
        try:
            URLValidator()(raw)
        except ValidationError:
            raise CellError(_("«%(value)s» — не адрес сайта; ожидается https://…") % {"value": raw}) from None
        return raw
    if len(raw) > TEXT_MAX:
        raise CellError(_("Слишком длинный текст: не более %(max)s знаков.") % {"max": TEXT_MAX})
    return raw


def stage_parse(raw: str) -> str:
    key = name_key(raw)
    for value, label in Stage.choices:
        if key in (name_key(str(label)), value):
            return value
    labels = "; ".join(str(label) for _v, label in Stage.choices)
    raise CellError(_("Неизвестный этап «%(value)s». Допустимые: %(labels)s.") % {"value": raw, "labels": labels})


# Counts that cannot exceed another count of the same row: (part, whole, message).
BOUNDS = (
    ("teachers_active", "teachers_with_accounts",
     gettext_lazy("Учителей, работавших в месяце (%(part)s), больше, чем учителей с учётной записью (%(whole)s).")),
    ("guardians_logged_in", "guardians_with_access",
     gettext_lazy("Родителей, входивших в месяце (%(part)s), больше, чем родителей с доступом (%(whole)s).")),
    ("applications_decided", "applications_received",
     gettext_lazy("Решений по заявлениям (предоставлено и отказано: %(part)s) больше, чем заявлений получено "
           "(%(whole)s).")),
)  # fmt: skip


def row_conflicts(data: dict[str, Any], *, year: int, month: int) -> list[str]:
    """Why a hand-entered row (as JSON) cannot be true: figures that contradict each other, in Russian; empty if
    none. A missing figure contradicts nothing."""
    known = {k: v for k, v in data.items() if v is not None}
    if "applications_granted" in known or "applications_refused" in known:
        known["applications_decided"] = known.get("applications_granted", 0) + known.get("applications_refused", 0)
    out = []
    for part, whole, message in BOUNDS:
        if part in known and whole in known and known[part] > known[whole]:
            out.append(str(message) % {"part": known[part], "whole": known[whole]})
    if "applications_avg_days" in known and known.get("applications_decided") == 0:
        out.append(_("Средний срок указан, а решений по заявлениям нет."))
    if ("stage" in known) != ("stage_on" in known):
        out.append(_("Укажите и достигнутый этап, и дату этапа."))
    last = dt.date(year, month, calendar.monthrange(year, month)[1])
    if "stage_on" in known and dt.date.fromisoformat(known["stage_on"]) > last:
        out.append(_("Дата этапа позже конца отчётного месяца (%(last)s).") % {"last": last.strftime("%d.%m.%Y")})
    shares = ("lessons_topic_on_time_pct", "lessons_homework_on_time_pct", "lessons_attendance_pct")
    if known.get("lessons_total") == 0 and any(k in known for k in shares):
        out.append(_("Доли уроков указаны, а уроков в месяце нет."))
    return out


def totals(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Totals of report rows (JSON values): sums of counts; averages of percentages over schools that have them."""
    out: dict[str, Any] = {}
    for key in SUMMED:
        present = [r[key] for r in rows if r.get(key) is not None]
        out[key] = sum(present) if present else None
    for key in AVERAGED:
        present = [Decimal(r[key]) for r in rows if r.get(key) is not None]
        out[key] = to_json(BY_KEY[key], sum(present) / len(present)) if present else None
    out["schools"] = len(rows)
    out["site_url"] = sum(1 for r in rows if r.get("site_url"))
    return out


def empty_values() -> dict[str, Any]:
    return {f.key: None for f in FIELDS}


def figures_to_json(figures: Any) -> dict[str, Any]:
    """A dataclass of monthly figures (counts and Decimals) as JSON: Decimals as strings."""
    return {k: str(v) if isinstance(v, Decimal) else v for k, v in dataclasses.asdict(figures).items()}


def figures_from_json(cls: type, data: dict[str, Any]) -> Any:
    """The dataclass `cls` back from `figures_to_json`; a field it no longer has is dropped, a new one defaults."""
    names = {f.name: f for f in dataclasses.fields(cls)}
    values = {}
    for name, value in data.items():
        if name in names:
            values[name] = Decimal(value) if isinstance(value, str) and "Decimal" in str(names[name].type) else value
    return cls(**values)
