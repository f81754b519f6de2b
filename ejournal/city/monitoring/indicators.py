"""Which indicators the monitoring charts, which way is better, and the red-flag thresholds (settings)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from ..report_fields import FIELDS

# Thresholds of the red flags; override any of them with `EJ_CITY_MONITORING` in Django settings.
DEFAULTS: dict[str, Any] = {
    "topic_on_time_min_pct": 80,
    "homework_on_time_min_pct": 80,
    "marks_late_max_pct": 10,
    "guardians_logged_in_min_pct": 30,
    # How many months the charts show by default, and at most.
    "months_default": 6,
    "months_max": 12,
}

GUARDIANS_PCT = "guardians_logged_in_pct"


@dataclass(frozen=True)
class Indicator:
    key: str
    label: object
    kind: str  # "int", "pct", "decimal"
    lower_is_better: bool = False


_LOWER = {"marks_late_pct", "applications_refused", "applications_avg_days", "support_open"}
INDICATORS: tuple[Indicator, ...] = (
    *(Indicator(f.key, f.label, f.kind, f.key in _LOWER) for f in FIELDS if f.kind in ("int", "pct", "decimal")),
    Indicator(GUARDIANS_PCT, _("% родителей, входивших в месяце, от имеющих доступ"), "pct"),
)
# A teacher's figures (the school page's table of teachers, the teacher page): the filling indicators that make
# sense for one teacher's lessons, and the number of marks behind the share of late ones.
MARKS_TOTAL = Indicator("marks_total", _("Отметок за уроки месяца"), "int")
_TEACHER_KEYS = (
    "lessons_total",
    "lessons_topic_on_time_pct",
    "lessons_homework_on_time_pct",
    "lessons_attendance_pct",
    "marks_total",
    "marks_late_pct",
    "density_norm_met_pct",
)
_ALL = (*INDICATORS, MARKS_TOTAL)
BY_KEY = {i.key: i for i in _ALL}
TEACHER_INDICATORS: tuple[Indicator, ...] = tuple(BY_KEY[key] for key in _TEACHER_KEYS)
# What a group's values are made of (see `selectors.aggregate`).
AGGREGATED = _ALL
DEFAULT_INDICATOR = "lessons_topic_on_time_pct"


def teacher_indicator(key: str) -> str:
    """The indicator to rank and chart teachers by: the chosen one if a teacher has it, else the default."""
    return key if key in _TEACHER_KEYS else DEFAULT_INDICATOR


def monitoring_setting(name: str) -> Any:
    return {**DEFAULTS, **(getattr(settings, "EJ_CITY_MONITORING", None) or {})}[name]


@dataclass(frozen=True)
class FlagRule:
    key: str
    setting: str
    below: bool  # a flag when the value is below the threshold (else above)
    message: object


FLAG_RULES: tuple[FlagRule, ...] = (
    FlagRule(
        "lessons_topic_on_time_pct", "topic_on_time_min_pct", True, _("темы уроков в срок: %(value)s %% < %(limit)s %%")
    ),
    FlagRule(
        "lessons_homework_on_time_pct", "homework_on_time_min_pct", True, _("ДЗ в срок: %(value)s %% < %(limit)s %%")
    ),
    FlagRule("marks_late_pct", "marks_late_max_pct", False, _("отметки с опозданием: %(value)s %% > %(limit)s %%")),
    FlagRule(GUARDIANS_PCT, "guardians_logged_in_min_pct", True, _("входили родители: %(value)s %% < %(limit)s %%")),
)
FLAG_LIMITS = {r.key: r for r in FLAG_RULES}


def is_flagged(key: str, value: Decimal | None) -> bool:
    """True when `value` of indicator `key` breaks its threshold; an absent value is no flag."""
    rule = FLAG_LIMITS.get(key)
    if rule is None or value is None:
        return False
    limit = Decimal(str(monitoring_setting(rule.setting)))
    return value < limit if rule.below else value > limit


def flags_of(values: dict[str, Decimal | None]) -> list[str]:
    """The red flags of one set of values (a school's or a total's), as Russian sentences."""
    out = []
    for rule in FLAG_RULES:
        value = values.get(rule.key)
        if value is not None and is_flagged(rule.key, value):
            out.append(str(rule.message) % {"value": _number(value), "limit": monitoring_setting(rule.setting)})
    return out


def _number(value: Decimal) -> str:
    return f"{value:.1f}".replace(".", ",")


def display(value: Any, kind: str) -> str:
    """A value as Russians read it: a comma, a per cent sign; a dash when there is none."""
    if value is None:
        return "—"
    if kind == "int":
        return str(value)
    text = _number(Decimal(value))
    return f"{text} %" if kind == "pct" else text
