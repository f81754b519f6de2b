"""`{% fragment "app/partials/name.html" key=value %}`: a Jinja2 fragment inside a Django template, so that a
fragment shown by both has one source (decision 0025)."""

from typing import Any

from django import template
from django.utils.safestring import SafeString

from ejournal.core.templating import render_fragment

register = template.Library()


@register.simple_tag
def fragment(name: str, **context: Any) -> SafeString:
    """The Jinja2 template `name` rendered with the given values only."""
    return render_fragment(name, **context)
