"""Display of the diary's numbers as Russians read them."""

import functools
from decimal import Decimal

from django import template
from django.utils import formats, translation

register = template.Library()


@register.filter
def weight(value: Decimal | None) -> str:
    """1.50 → «1,5», 2.00 → «2» (a mark's weight without trailing zeros)."""
    if value is None:
        return ""
    return _weight(value, translation.get_language())


@functools.lru_cache(maxsize=256)
def _weight(value: Decimal, language: str | None) -> str:
    """Per weight and language once a process: a term's marks show a handful of weights hundreds of times."""
    normal = value.normalize()
    exponent = normal.as_tuple().exponent
    with translation.override(language):
        return formats.number_format(normal, decimal_pos=max(-exponent, 0) if isinstance(exponent, int) else 0)
