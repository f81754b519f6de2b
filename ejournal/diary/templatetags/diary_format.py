"""Display of the diary's numbers as Russians read them."""

from decimal import Decimal

from django import template
from django.utils import formats

register = template.Library()


@register.filter
def weight(value: Decimal | None) -> str:
    """1.50 → «1,5», 2.00 → «2» (a mark's weight without trailing zeros)."""
    if value is None:
        return ""
    normal = value.normalize()
    exponent = normal.as_tuple().exponent
    return formats.number_format(normal, decimal_pos=max(-exponent, 0) if isinstance(exponent, int) else 0)
