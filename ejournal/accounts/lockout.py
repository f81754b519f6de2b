"""The page django-axes shows a locked-out sign-in (AXES_LOCKOUT_CALLABLE), after a password or a second-factor code."""

import math

from axes.helpers import get_cool_off, get_failure_limit
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone


def lockout(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """Render the Russian lockout page with the time the user may try again (AXES_LOCKOUT_CALLABLE).

    Every attempt during a lockout restarts the cool-off (axes default), so
    "now + cool-off" is exactly when the next attempt will be let through.
    """
    cool_off = get_cool_off(request)
    context = {"failure_limit": get_failure_limit(request, credentials), "retry_at": None, "cooloff_minutes": None}
    if cool_off:
        context["cooloff_minutes"] = max(1, math.ceil(cool_off.total_seconds() / 60))
        context["retry_at"] = timezone.localtime() + cool_off
    return render(request, "accounts/lockout.html", context, status=getattr(settings, "AXES_HTTP_RESPONSE_CODE", 429))
