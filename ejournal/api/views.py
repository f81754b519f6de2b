"""The pages of the open API: its description for developers, and the connected apps a person or a school
coordinator sees and revokes."""

from __future__ import annotations

import functools

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ejournal.access.decorators import access_rule, public
from ejournal.access.http import ActorRequest
from ejournal.core.views import confirmed, question_page

from . import selectors, services
from .scopes import SCOPES
from .v1 import api


@functools.cache
def _operations() -> tuple[dict, ...]:
    """The operations of the OpenAPI description (built from code: once per process)."""
    schema = api.get_openapi_schema()
    return tuple(
        {"method": method.upper(), "path": path, "summary": op.get("summary", ""),
         "description": op.get("description", ""), "tag": (op.get("tags") or [""])[0]}
        for path, methods in schema["paths"].items() for method, op in methods.items()
    )  # fmt: skip


@public
def docs(request: ActorRequest) -> HttpResponse:
    """The API's description as a Russian page: every operation, its scope, and where the OpenAPI file is."""
    context = {"operations": _operations(), "scopes": [(k, v) for k, v in SCOPES.items()],
               "openapi_url": reverse("api_v1:openapi-json"), "issuer": request.build_absolute_uri("/o")}  # fmt: skip
    return render(request, "api/docs.html", context)


@access_rule("is_signed_in")
def my_apps(request: ActorRequest) -> HttpResponse:
    """«Подключённые приложения»: what each app was given, with «Отозвать»."""
    return render(request, "api/my_apps.html", {"apps": selectors.my_apps(actor=request.actor)})


@require_POST
@access_rule("is_signed_in")
def my_app_revoke(request: ActorRequest, application_id: int) -> HttpResponse:
    app = selectors.my_app_get(actor=request.actor, application_id=application_id)
    back = reverse("api:my_apps")
    if not confirmed(request):
        return question_page(
            request, title=_("Отозвать доступ приложения «%(name)s»?") % {"name": app.name},
            lines=[_("Приложение сразу потеряет доступ к вашим данным; чтобы вернуть его, войдите в приложении снова.")],
            confirm=_("Отозвать"), cancel=back,
        )  # fmt: skip
    services.app_revoke_mine(application=app, actor=request.actor)
    messages.success(request, _("Доступ приложения «%(name)s» отозван.") % {"name": app.name})
    return redirect(back)


@access_rule("can_revoke_school_apps")
def school_apps(request: ActorRequest) -> HttpResponse:
    """The coordinator's list: apps connected by the school's people and the vendors' systems of the school."""
    return render(request, "api/school_apps.html", {"apps": selectors.school_apps(actor=request.actor)})


@require_POST
@access_rule("can_revoke_school_apps")
def school_app_revoke(request: ActorRequest, application_id: int) -> HttpResponse:
    raw = request.POST.get("user", "")
    if raw and not raw.isdigit():
        raise Http404
    user_id = int(raw) if raw else None
    app = selectors.school_app_get(actor=request.actor, application_id=application_id, user_id=user_id)
    back = reverse("api:school_apps")
    if not confirmed(request):
        line = (_("Система поставщика сразу потеряет доступ к показателям школы.") if user_id is None
                else _("Приложение сразу потеряет доступ к данным этого человека."))  # fmt: skip
        return question_page(request, title=_("Отозвать доступ приложения «%(name)s»?") % {"name": app.name},
                             lines=[line], confirm=_("Отозвать"), cancel=back)  # fmt: skip
    services.app_revoke_for_school(application=app, user_id=user_id, school_id=request.actor.school_id_required,
                                   actor=request.actor)  # fmt: skip
    messages.success(request, _("Доступ приложения «%(name)s» отозван.") % {"name": app.name})
    return redirect(back)
