"""Display of monitoring values: a comma, a per cent sign, a dash for no value."""

from django import template

from ..monitoring.indicators import display

register = template.Library()


@register.filter
def monitoring_value(value, kind: str) -> str:
    return display(value, kind)
