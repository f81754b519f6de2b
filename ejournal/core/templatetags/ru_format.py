"""Display formatting as Russians read it."""

import datetime as dt

from django import template
from django.utils import formats, translation

register = template.Library()


@register.filter
def day_in_sentence(day: dt.date) -> str:
    """«среда, 18.11.2026»: Russian writes the weekday in lower case inside a sentence."""
    weekday = formats.date_format(day, "l")
    if translation.get_language() == "ru":
        weekday = weekday.lower()
    return f"{weekday}, {formats.date_format(day, 'd.m.Y')}"
