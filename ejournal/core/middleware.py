"""Security headers that Django's SecurityMiddleware does not set; the language; 503 while the database is away."""

from django.conf import settings

from .outage import is_outage, outage_response


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.csp = (
            "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
            "script-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'self'"
        )

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
