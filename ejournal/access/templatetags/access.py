"""`{% allowed_url %}`: the address of a page only when the active role may open it.

A page shows links to other pages; a link the role's rules deny leads to 403, a
dead end. `{% allowed_url 'ns:name' arg… as var %}` reverses the address like
`{% url %}`, resolves the view and checks its declared rule (`@access_rule`)
for the actor in its own scope, as the decorator will; `var` is "" when the
rule denies, so `{% if var %}` leaves the link out. Object-level rules (checked
inside a view) need the view to tell its template instead.
"""

from __future__ import annotations

from django import template
from django.urls import resolve, reverse

from .. import policy

register = template.Library()


def url_allowed(request, url: str) -> bool:
    """Whether the view at `url` lets the request's actor in (public and signed-in views let everybody in)."""
    view = resolve(url).func
    if getattr(view, "access_public", False):
        return True
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    rule = getattr(view, "access_rule", None)
    if rule == "signed_in":
        return True
    return rule is not None and policy.check(getattr(request, "actor", policy.ANONYMOUS), rule)


@register.simple_tag(takes_context=True)
def allowed_url(context, name: str, *args, **kwargs) -> str:
    url = reverse(name, args=args or None, kwargs=kwargs or None)
    return url if url_allowed(context.get("request"), url) else ""
