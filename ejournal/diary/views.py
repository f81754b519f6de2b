"""The diary's pages: parse, call one selector or service, render. Families read only."""

from __future__ import annotations

import functools
import hashlib
from importlib import import_module
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ejournal.access.decorators import access_rule, public
from ejournal.access.http import ActorRequest
from ejournal.access.roles import Role
from ejournal.accounts.http import request_user
from ejournal.core.templating import templates_digest
from ejournal.core.views import run_or_message

from . import feed, selectors, services
from .forms import ExtractForm
from .marks import marks_page, term_key
from .marks import tabs as marks_tabs
from .pdf import PdfUnavailable, html_to_pdf
from .week import CACHE_SECONDS, CSRF_MARK, week_file_get, week_page
from .week_html import header_html, tabs

SESSION_CHILD = "diary_student"


def _family(request: ActorRequest, student, section: str) -> dict:
    """The child tabs (the active child remembered in the session) and the diary's own menu."""
    if request.session.get(SESSION_CHILD) != student.pk:
        request.session[SESSION_CHILD] = student.pk
    kids = tabs(selectors.children(actor=request.actor))
    return {"student": student, "header": header_html(children=kids, student_id=student.pk, section=section)}


def _bad_request(request: ActorRequest, error: ValidationError, back: str) -> HttpResponse:
    return render(request, "diary/error.html", {"errors": error.messages, "back": back}, status=400)


@access_rule("can_read_diary")
def home(request: ActorRequest) -> HttpResponse:
    """The remembered child's current week, else the first child's."""
    remembered = request.session.get(SESSION_CHILD)
    if remembered not in request.actor.student_ids:
        kids = selectors.children(actor=request.actor)
        if not kids:
            raise Http404
        remembered = kids[0].pk
    url = reverse("diary:week", kwargs={"student_id": remembered})
    today = timezone.localdate()
    # On a phone the days before today fill the first screens: open the week at today's card (Monday's is
    # the first card anyway, and the page's top keeps the child's tabs in sight).
    return redirect(f"{url}#day-{today:%Y%m%d}" if today.weekday() else url)


FRAME_PREFIX = "diary:frame"  # + `_frame_version()`, which holds the templates' digest
TITLE_MARK, CONTENT_MARK = mark_safe("<!--diary-title-->"), mark_safe("<!--diary-content-->")
PATH_MARK = "<!--diary-path-->"  # put in the frame in place of the escaped address, never by the template


@functools.cache
def _frame_version() -> str:
    """The templates (all of them: `templates_digest`), static files, addresses and languages of the frame as
    this process serves them: a deploy that changes them is a new frame. (The menu's other addresses are not
    here: they are the context processors', whose source is.)"""
    sources = [templates_digest()]
    engine: dict[str, Any] = settings.TEMPLATES[0]
    processors = {p.rsplit(".", 1)[0] for p in engine["OPTIONS"]["context_processors"]}
    sources += [Path(import_module(name).__file__ or "").read_text() for name in sorted(processors)]
    sources += [
        static(name) for name in ("css/app.css", "vendor/htmx.min.js", "js/frame.js", "favicon.svg", "diary/diary.css")
    ]
    sources += [reverse(name) for name in ("portal:home", "portal:switch_role", "accounts:password_change",
                                           "accounts:logout", "set_language", "diary:home")]  # fmt: skip
    sources.append(repr(settings.LANGUAGES))
    return hashlib.blake2b("\n".join(sources).encode(), digest_size=8).hexdigest()


class _Frame:
    """base.html around the week (`week.Frame`). Its key digests all the base shows besides the content: the
    user's name, the roles to switch to, the menu (the actor and the path), the address asked. Not cached
    while messages wait to be shown (they are shown once).

    The frame itself is kept too (per user, language and path, the address's query put in per request), so a
    week rendered anew, another week of the child, does not render the base again."""

    def __init__(self, request: ActorRequest) -> None:
        self.request = request
        self.pending = bool(len(messages.get_messages(request)))
        request, actor = self.request, self.request.actor
        active = request.active_role
        roles = [(c.key, str(c.label), str(c.scope_label)) for c in request.role_choices]
        who = (actor.role, actor.municipality_id, actor.district_id, actor.school_id, actor.is_superuser,
               *(sorted(ids) for ids in (actor.school_ids, actor.class_ids, actor.led_class_ids, actor.student_ids)))  # fmt: skip
        parts = (
            _frame_version(),
            request_user(request).get_short_name(),
            request.path,
            active and active.key,
            roles,
            who,
        )
        digest = hashlib.blake2b(repr(parts).encode(), digest_size=12).hexdigest()
        self.frame_key = f"{FRAME_PREFIX}:{_frame_version()}:{request.user.pk}:{get_language()}:{digest}"
        query = hashlib.blake2b(request.get_full_path().encode(), digest_size=8).hexdigest()
        self.key = None if self.pending else f"{digest}:{query}"

    def render(self, page) -> str:
        """The whole page around `page` (CSRF_MARK where the session's token goes)."""
        path = escape(self.request.get_full_path())
        frame = None if self.pending else cache.get(self.frame_key)
        if frame is None:
            context = {"title": TITLE_MARK, "content": CONTENT_MARK, "csrf_token": CSRF_MARK}
            frame = render_to_string("diary/week.html", context, request=self.request)
            if self.pending or frame.count(path) != 1:  # the messages, or the address not found once: not kept
                return frame.replace(TITLE_MARK, escape(page.title)).replace(CONTENT_MARK, page.content)
            frame = frame.replace(path, PATH_MARK)
            cache.set(self.frame_key, frame, CACHE_SECONDS)
        return (
            frame.replace(PATH_MARK, path).replace(TITLE_MARK, escape(page.title)).replace(CONTENT_MARK, page.content)
        )


@access_rule("can_read_diary")
def week(request: ActorRequest, student_id: int) -> HttpResponse:
    """The child's week, from the cache while nothing it shows has changed (`week.week_page`)."""
    if student_id not in request.actor.student_ids:
        raise Http404
    try:
        monday = selectors.parse_week(request.GET.get("week"))
    except ValidationError as exc:
        return _bad_request(request, exc, reverse("diary:week", kwargs={"student_id": student_id}))
    body = week_page(actor=request.actor, student_id=student_id, monday=monday, frame=_Frame(request))
    if request.session.get(SESSION_CHILD) != student_id:
        request.session[SESSION_CHILD] = student_id
    return HttpResponse(body.replace(CSRF_MARK, get_token(request)))  # the token is [a-zA-Z0-9]: nothing to escape


@require_POST
@access_rule("can_acknowledge_diary_week")
def acknowledge(request: ActorRequest, student_id: int) -> HttpResponse:
    student = selectors.child_get(actor=request.actor, student_id=student_id)
    back = reverse("diary:week", kwargs={"student_id": student.pk})
    try:
        monday = selectors.parse_week(request.POST.get("week", ""))
    except ValidationError as exc:
        return _bad_request(request, exc, back)
    run_or_message(
        request,
        lambda: services.week_acknowledge(student=student, week_start=monday, actor=request.actor),
        _("Отмечено: вы ознакомлены с неделей."),
    )
    return redirect(f"{back}?week={selectors.week_param(monday)}")


def _term_param(value: str | None) -> int | str | None:
    """`?term=` is empty (the current term), «year», or a term's number; anything else is refused."""
    if not value:
        return None
    if value == "year":
        return value
    if not value.isdigit():
        raise ValidationError(_("Учебный период указан неверно."), code="term")
    return int(value)


@access_rule("can_read_diary")
def marks(request: ActorRequest, student_id: int) -> HttpResponse:
    """A child's marks of a term or of the year, from the cache while nothing they show has changed
    (`marks.marks_page`)."""
    if student_id not in request.actor.student_ids:
        raise Http404
    try:
        wanted = _term_param(request.GET.get("term"))
    except ValidationError as exc:
        return _bad_request(request, exc, reverse("diary:marks", kwargs={"student_id": student_id}))

    def header(children: list[int]) -> str:
        kids = marks_tabs(children)
        if not any(c.id == student_id for c in kids):  # linked, but the record is gone
            raise Http404
        return header_html(children=kids, student_id=student_id, section="marks") + "\n"

    body = marks_page(actor=request.actor, student_id=student_id, wanted=term_key(wanted), frame=_Frame(request),
                      header=header)  # fmt: skip
    if request.session.get(SESSION_CHILD) != student_id:
        request.session[SESSION_CHILD] = student_id
    return HttpResponse(body.replace(CSRF_MARK, get_token(request)))


@access_rule("can_read_diary")
def attachment(request: ActorRequest, student_id: int, pk: int) -> FileResponse:
    """A homework file of the child's lesson (the journal's own download is for staff only)."""
    item = week_file_get(actor=request.actor, student_id=student_id, pk=pk)
    response = FileResponse(item.file.open("rb"), as_attachment=True, filename=item.original_name)
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- the calendar feed ------------------------------------------------------------------------


@access_rule("can_read_diary")
def feed_settings(request: ActorRequest) -> HttpResponse:
    key = selectors.feed_key_of(actor=request.actor)
    url = request.build_absolute_uri(reverse("diary:feed", kwargs={"token": feed.feed_token(key)})) if key else ""
    context = {"key": key, "url": url, "webcal": url.replace("https://", "webcal://").replace("http://", "webcal://"),
               "weeks": feed.feed_weeks(), "children": selectors.children(actor=request.actor)}  # fmt: skip
    return render(request, "diary/feed.html", context)


@require_POST
@access_rule("can_read_diary")
def feed_reset(request: ActorRequest) -> HttpResponse:
    run_or_message(request, lambda: services.feed_key_reset(actor=request.actor),
                   _("Новая ссылка на календарь создана; прежняя больше не работает."))  # fmt: skip
    return redirect("diary:feed_settings")


@public
def feed_ics(request: ActorRequest, token: str) -> HttpResponse:
    """The private iCalendar feed: found only by its secret token, no sign-in (calendar apps cannot sign in)."""
    key = feed.feed_key_resolve(token)
    actor = selectors.feed_actor(key) if key else None
    if actor is None:
        raise Http404
    first, last = feed.feed_range(timezone.localdate())
    body = feed.calendar_ics(selectors.feed_items(actor=actor, first=first, last=last))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=900"
    response["X-Robots-Tag"] = "noindex"
    return response


# --- the printable extract ---------------------------------------------------------------------


def _extract_initial(student) -> dict:
    today = timezone.localdate()
    terms = selectors.student_terms(student)
    term = selectors.term_pick(terms, None, today)
    start = term.starts_on if term and term.starts_on <= today else today.replace(day=1)
    return {"date_from": start, "date_to": today, "output": "pdf"}


@access_rule("can_print_diary_extract")
def extract(request: ActorRequest, student_id: int) -> HttpResponse:
    """GET without dates: the form. With dates: the PDF (or the printable page) of marks and absences."""
    student = selectors.extract_student_get(actor=request.actor, student_id=student_id)
    is_family = request.actor.role in (Role.GUARDIAN, Role.STUDENT)
    family = _family(request, student, "extract") if is_family else {"student": student}
    if "date_from" not in request.GET:
        form = ExtractForm(initial=_extract_initial(student))
        return render(request, "diary/extract_form.html", {**family, "form": form, "is_family": is_family})
    form = ExtractForm(request.GET)
    if not form.is_valid():
        return render(request, "diary/extract_form.html", {**family, "form": form, "is_family": is_family}, status=400)
    data = selectors.extract(actor=request.actor, student=student, first=form.cleaned_data["date_from"],
                             last=form.cleaned_data["date_to"])  # fmt: skip
    html = render_to_string("diary/extract_print.html", {"extract": data, "pdf": True}, request=request)
    if form.cleaned_data.get("output") == "html":
        return render(request, "diary/extract_print.html", {"extract": data, "pdf": False})
    try:
        pdf = html_to_pdf(html)
    except PdfUnavailable:
        notice = _("PDF сейчас не собрать: распечатайте эту страницу из браузера.")
        return render(request, "diary/extract_print.html", {"extract": data, "pdf": False, "notice": notice})
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"extract-{student.pk}-{data.first:%Y%m%d}-{data.last:%Y%m%d}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@access_rule("can_print_extracts_for_families")
def extract_students(request: ActorRequest) -> HttpResponse:
    """Staff: the students whose extracts the class teacher or the coordinator may print."""
    return render(request, "diary/extract_students.html", {"students": selectors.extract_students(actor=request.actor)})
