"""Geometry of the server-rendered SVG charts (the CSP allows no scripts): the templates only draw it."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.dates import MONTHS_3

from .indicators import BY_KEY, FLAG_LIMITS, display, monitoring_setting

WIDTH = 640
LINE_HEIGHT = 240
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 16, 40
BAR_ROW = 26
LABEL_WIDTH = 220


@dataclass
class Mark:
    x: float
    y: float
    text: str
    flagged: bool = False


@dataclass
class Bar:
    y: float
    width: float
    label: str
    text: str
    flagged: bool
    text_x: float = 0.0


@dataclass
class Chart:
    title: str
    desc: str
    width: int
    height: int
    segments: list[str] = field(default_factory=list)
    points: list[Mark] = field(default_factory=list)
    x_labels: list[Mark] = field(default_factory=list)
    y_ticks: list[Mark] = field(default_factory=list)
    bars: list[Bar] = field(default_factory=list)
    bar_x: int = LABEL_WIDTH
    bar_height: int = BAR_ROW - 8
    threshold: Mark | None = None
    empty: bool = False


def month_label(month: tuple[int, int]) -> str:
    return f"{MONTHS_3[month[1]]} {month[0] % 100:02d}"


def _top(key: str, values: list[Any]) -> Decimal:
    if BY_KEY[key].kind == "pct":
        return Decimal(100)
    present = [Decimal(v) for v in values if v is not None]
    highest = max(present, default=Decimal(0))
    return highest * Decimal("1.1") if highest > 0 else Decimal(1)


def _threshold(key: str) -> Decimal | None:
    rule = FLAG_LIMITS.get(key)
    return Decimal(str(monitoring_setting(rule.setting))) if rule else None


def line_chart(*, key: str, points: list, title: str, desc: str) -> Chart:
    """A line of the indicator by month (`points`: objects with month, value, flagged); gaps break the line."""
    kind = BY_KEY[key].kind
    top = _top(key, [p.value for p in points])
    inner_w, inner_h = WIDTH - LEFT - RIGHT, LINE_HEIGHT - TOP - BOTTOM
    step = inner_w / max(len(points) - 1, 1)

    def y_of(value) -> float:
        return round(TOP + inner_h - float(Decimal(value) / top) * inner_h, 1)

    chart = Chart(title=title, desc=desc, width=WIDTH, height=LINE_HEIGHT)
    run: list[str] = []
    for i, p in enumerate(points):
        x = round(LEFT + i * step, 1)
        chart.x_labels.append(Mark(x=x, y=LINE_HEIGHT - BOTTOM + 18, text=month_label(p.month)))
        if p.value is None:
            chart.segments += [" ".join(run)] if len(run) > 1 else []
            run = []
            continue
        y = y_of(p.value)
        run.append(f"{x},{y}")
        chart.points.append(Mark(x=x, y=y, text=display(p.value, kind), flagged=p.flagged))
    chart.segments += [" ".join(run)] if len(run) > 1 else []
    for i in range(5):
        value = top * i / 4
        chart.y_ticks.append(Mark(x=LEFT - 6, y=y_of(value), text=display(value.quantize(Decimal("0.1")), kind)))
    if (limit := _threshold(key)) is not None and limit <= top:
        chart.threshold = Mark(x=WIDTH - RIGHT, y=y_of(limit), text=display(limit, kind))
    chart.empty = not chart.points
    return chart


def bar_chart(*, key: str, rows: list, title: str, desc: str) -> Chart:
    """Horizontal bars, one per row (`rows`: objects with unit.label, value, flagged), in the rows' order."""
    kind = BY_KEY[key].kind
    top = _top(key, [r.value for r in rows])
    inner_w = WIDTH - LABEL_WIDTH - 64
    chart = Chart(title=title, desc=desc, width=WIDTH, height=TOP + BAR_ROW * max(len(rows), 1) + 8)
    for i, row in enumerate(rows):
        width = 0.0 if row.value is None else round(float(Decimal(row.value) / top) * inner_w, 1)
        chart.bars.append(
            Bar(
                y=TOP + i * BAR_ROW,
                width=width,
                label=row.unit.label,
                text=display(row.value, kind),
                flagged=row.flagged,
                text_x=round(LABEL_WIDTH + width + 6, 1),
            )
        )
    if (limit := _threshold(key)) is not None and limit <= top:
        x = round(LABEL_WIDTH + float(limit / top) * inner_w, 1)
        chart.threshold = Mark(x=x, y=chart.height - 4, text=display(limit, kind))
    chart.empty = all(r.value is None for r in rows)
    return chart
