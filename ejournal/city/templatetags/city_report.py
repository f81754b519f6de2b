"""Display of monthly report values as Russians read them: dates d.m.Y, percentages with a comma."""

import datetime as dt

from django import template
from django.utils import formats

from ..models import Stage
from ..report_fields import BY_KEY
from ..values import from_json

register = template.Library()


@register.filter
def report_value(values: dict, key: str) -> str:
    field = BY_KEY[key]
    value = values.get(key)
    if value is None or value == "":
        return "—"
    if field.kind == "stage":
        return str(Stage(value).label) if value in Stage.values else str(value)
    value = from_json(field, value)
    if isinstance(value, dt.date):
        return formats.date_format(value, "d.m.Y")
    if field.kind in ("pct", "decimal"):
        text = formats.number_format(value, 1)
        return f"{text} %" if field.kind == "pct" else text
    return str(value)


@register.filter
def total_value(totals: dict, key: str) -> str:
    field = BY_KEY[key]
    if field.kind == "url":
        return str(totals.get("site_url", 0))
    if field.kind not in ("int", "pct", "decimal"):
        return ""
    return report_value(totals, key)


@register.filter
def stage_of(stages: dict, key: str):
    return stages.get(key)
