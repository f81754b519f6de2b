"""Home page per role, role switching, the overseers' list of schools."""

import functools
from pathlib import Path

from django.contrib import messages
from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_POST

from ejournal.access.decorators import access_rule, public, signed_in
from ejournal.access.http import ActorRequest
from ejournal.access.roles import CITY_ROLES, SCHOOL_ADMIN_ROLES, Role
from ejournal.accounts.http import request_user
from ejournal.journal import selectors as journal_selectors
from ejournal.timetable import selectors as timetable_selectors

from . import selectors
from .middleware import SESSION_KEY
from .services import role_preference_set


@signed_in
def home(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    role = actor.role
    if role is None:
        return render(request, "portal/home_norole.html")
    context: dict[str, object]
    if role in CITY_ROLES:
        context = {"districts": selectors.districts_overview(actor=actor)}
        return render(request, "portal/home_city.html", context)
    if role == Role.DISTRICT_OFFICER:
        context = {"schools": selectors.schools_overview(actor=actor, district_id=actor.district_id)}
        return render(request, "portal/home_district.html", context)
    if role in SCHOOL_ADMIN_ROLES:
        return render(request, "portal/home_school.html", selectors.school_overview(actor=actor))
    if role in (Role.TEACHER, Role.CLASS_TEACHER):
        context = {
            "classes": selectors.teacher_classes(actor=actor),
            "today": timezone.localdate(),
            "lessons_today": timetable_selectors.teacher_day(actor=actor, day=timezone.localdate()),
            "corrections_unseen": journal_selectors.corrections_unseen(actor=actor),
        }
        return render(request, "portal/home_teacher.html", context)
    context = {"children": selectors.children_of(actor=actor), "is_guardian": role == Role.GUARDIAN}
    return render(request, "portal/home_family.html", context)


@require_POST
@signed_in
def switch_role(request: ActorRequest) -> HttpResponse:
    key = request.POST.get("key", "")
    if any(c.key == key for c in request.role_choices):
        request.session[SESSION_KEY] = key
        role_preference_set(user_id=request_user(request).pk, key=key)
    else:
        messages.error(request, _("Эта роль вам недоступна."))
    return redirect("portal:home")


@access_rule("can_view_district")
def schools(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    district_id = actor.district_id if actor.role == Role.DISTRICT_OFFICER else None
    context = {"schools": selectors.schools_overview(actor=actor, district_id=district_id)}
    return render(request, "portal/schools.html", context)


@public
@cache_control(max_age=86400, public=True)
def favicon(request: ActorRequest) -> HttpResponse:
    """The site's icon at the address browsers ask for by themselves (static/favicon.ico, read once)."""
    return HttpResponse(_favicon_bytes(), content_type="image/x-icon")


@functools.cache
def _favicon_bytes() -> bytes:
    found = finders.find("favicon.ico")
    if not isinstance(found, str):
        raise FileNotFoundError("favicon.ico is not among the static files")
    return Path(found).read_bytes()
