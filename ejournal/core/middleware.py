"""Security headers that Django's SecurityMiddleware does not set; the language; request size limits;
503 while the database is away."""

import functools
import re

from django.conf import settings

from .outage import is_outage, outage_response


def content_security_policy(form_action: str = "'self'") -> str:
    """The site's CSP; a page whose form leads elsewhere (the OAuth consent: back to the app) widens form-action."""
    return (
        "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
        f"script-src 'self'; frame-ancestors 'none'; form-action {form_action}; base-uri 'self'"
    )


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.csp = content_security_policy()

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.csp)
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            # Personal data of children: never kept by shared caches.
            response.headers.setdefault("Cache-Control", "private, no-store")
        if settings.DEBUG:
            response.headers.pop("Content-Security-Policy", None)
        return response


class LanguageMiddleware:
    """Russian for everybody unless the user picked another language.

    Django's LocaleMiddleware would follow the browser's Accept-Language, so
    a parent whose phone is set to English would suddenly get English pages;
    here only an explicit choice (the language cookie set by the switcher)
    changes the language.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.available = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        from django.utils import translation

        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in self.available else settings.LANGUAGE_CODE
        request.LANGUAGE_CODE = language
        # override, not activate: the choice must not outlive the request in this thread.
        with translation.override(language):
            response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class RequestSizeLimitMiddleware:
    """Refuse a request body larger than its path's limit before any of it is read (413).

    The limit is `REQUEST_MAX_BYTES`, or that of the first pattern of
    `REQUEST_MAX_BYTES_BY_PATH` matching the path. Django's WSGI request reads
    at most `Content-Length` bytes and takes a missing one for an empty body,
    so the declared length is what a body can cost: checking it here, before
    the CSRF check or a view parses the form, means an oversized upload is never
    spooled to disk. A body sent in chunks without a length (which Django would
    read as empty) is refused with 411 rather than answered as an empty form.
    The reverse proxy applies the same limits (docs/deploy.md).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        declared = request.META.get("CONTENT_LENGTH") or ""
        if not declared:
            if request.META.get("HTTP_TRANSFER_ENCODING"):
                return _refusal(request, 411, None)
            return self.get_response(request)
        try:
            length = int(declared)
        except ValueError:
            return _refusal(request, 400, None)
        limit = request_limit(request.path_info)
        if length > limit:
            return _refusal(request, 413, limit)
        return self.get_response(request)


@functools.lru_cache(maxsize=8)
def _compiled(patterns: tuple[tuple[str, int], ...]) -> tuple[tuple[re.Pattern[str], int], ...]:
    return tuple((re.compile(pattern), int(limit)) for pattern, limit in patterns)


def request_limit(path: str) -> int:
    """The largest body, in bytes, accepted for `path`."""
    by_path = tuple(tuple(item) for item in getattr(settings, "REQUEST_MAX_BYTES_BY_PATH", ()))
    for pattern, limit in _compiled(by_path):
        if pattern.search(path):
            return limit
    return settings.REQUEST_MAX_BYTES


def _size(limit: int) -> str:
    from django.utils.translation import gettext as _

    if limit >= 1024 * 1024:
        return _("%(n)s МБ") % {"n": f"{limit / (1024 * 1024):.3g}"}
    return _("%(n)s КБ") % {"n": f"{limit / 1024:.3g}"}


def _refusal(request, status: int, limit: int | None):
    """A short page (a fragment for htmx) saying why nothing was accepted."""
    from django.shortcuts import render

    template = (
        "core/partials/request_refused.html" if request.headers.get("HX-Request") else "core/request_refused.html"
    )
    context = {"status": status, "limit": _size(limit) if limit else ""}
    return render(request, template, context, status=status)


class OutageMiddleware:
    """A view that fails because PostgreSQL is away answers 503 with Retry-After (`core.outage`), not 500.

    Only a view's exception reaches `process_exception`; one raised before the view (the session, the user,
    the actor) is answered by the 500 handler, `core.views.server_error`, in the same way."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        return outage_response(request, exception) if is_outage(exception) else None
