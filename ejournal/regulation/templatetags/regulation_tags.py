"""Display of the Regulation's documents."""

from django import template

from ..services import order_number_clean

register = template.Library()


@register.filter
def order_no(value: str) -> str:
    """An order's number without a «№» typed into it (the text writes its own «№ »)."""
    return order_number_clean(value or "")
