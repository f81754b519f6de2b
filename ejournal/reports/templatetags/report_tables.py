"""The rows of a report's table as HTML in one call: a school's whole report has tens of thousands of cells, and
a template loop over them (a node per cell) was most of the page's time. Each cell is rendered exactly as
`{% if v is None %}—{% else %}{{ v }}{% endif %}` renders it (localised, escaped)."""

from __future__ import annotations

import html

from django import template
from django.conf import settings
from django.template.base import render_value_in_context
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag(takes_context=True)
def table_rows(context, rows) -> str:
    """`<tr><td>…</td>…</tr>` for every row; None shows as «—»."""

    plain_ints = not settings.USE_THOUSAND_SEPARATOR  # then localize writes an int as str() does
    escape = html.escape if context.autoescape else str

    def cell(v) -> str:
        if v is None:
            return "—"
        if type(v) is str:  # a plain string is only escaped (localize leaves it as it is), as django's escape() does
            return escape(v)
        if type(v) is int and plain_ints:
            return str(v)
        return render_value_in_context(v, context)

    return mark_safe("".join("<tr>" + "".join(f"<td>{cell(v)}</td>" for v in row) + "</tr>" for row in rows))  # noqa: S308 - every cell escaped above
