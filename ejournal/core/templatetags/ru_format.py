"""Display formatting as Russians read it."""

import datetime as dt
import functools

from django import template
from django.utils import formats, translation

register = template.Library()


@register.filter
def day_in_sentence(day: dt.date) -> str:
    """«среда, 18.11.2026»: Russian writes the weekday in lower case inside a sentence."""
    return _day_in_sentence(day, translation.get_language())


@functools.lru_cache(maxsize=4096)
def _day_in_sentence(day: dt.date, language: str | None) -> str:
    """Per day and language once a process: a week's days show each twice, and Django's date format is dear."""
    with translation.override(language):
        weekday = formats.date_format(day, "l")
        if language == "ru":
            weekday = weekday.lower()
        return f"{weekday}, {formats.date_format(day, 'd.m.Y')}"


def month_in_sentence(year: int, month: int) -> str:
    """«октябрь 2026 г.» inside a Russian sentence («Отчёт за октябрь 2026 г.»); «October 2026» in English."""
    from django.utils.dates import MONTHS
    from django.utils.translation import gettext as _

    name = str(MONTHS[month])
    if translation.get_language() == "ru":
        name = name.lower()
    return _("%(month)s %(year)s г.") % {"month": name, "year": year}
