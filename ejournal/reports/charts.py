"""Server-side SVG charts (pygal), embedded as images with a text alternative; no script, no external files."""

from __future__ import annotations

import base64
from decimal import Decimal

import pygal
from pygal.style import Style

# Dark enough on white for the labels' contrast; the series keep apart in grey print too.
STYLE = Style(
    background="white", plot_background="white", foreground="#222", foreground_strong="#000",
    foreground_subtle="#555", colors=("#1f5fa8", "#2e7d32", "#b26a00", "#7b1fa2", "#a31515"),
    font_family="DejaVu Sans, sans-serif", label_font_size=12, major_label_font_size=12,
    legend_font_size=12, value_font_size=11, title_font_size=14,
)  # fmt: skip


def _number(value: Decimal | int | None) -> float | None:
    return None if value is None else float(value)


def bar_chart(*, title: str, labels: list[str], series: list[tuple[str, list]], max_value: float | None = 100) -> str:
    """A grouped bar chart as a `data:` URL of its SVG (for `<img>` on the page and in the PDF)."""
    chart = pygal.Bar(
        style=STYLE, width=760, height=340, title=title, x_label_rotation=0 if len(labels) <= 8 else 40,
        legend_at_bottom=True, legend_at_bottom_columns=max(len(series), 1), print_values=False,
        range=(0, max_value) if max_value else None, js=(), disable_xml_declaration=False, truncate_label=-1,
        show_y_guides=True, margin=12,
    )  # fmt: skip
    chart.x_labels = labels
    for name, values in series:
        chart.add(name, [_number(v) for v in values])
    svg = chart.render()
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")
