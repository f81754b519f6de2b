"""The family's digest settings page and the public one-click unsubscribe link."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from ejournal.access.decorators import access_rule, public
from ejournal.access.http import ActorRequest
from ejournal.core.views import form_flow

from . import selectors, services
from .forms import DigestSettingsForm
from .mail import unsubscribe_subscription_id
from .models import DigestSubscription


def _initial(subscription: DigestSubscription | None) -> dict:
    s = subscription or DigestSubscription()
    return {
        "enabled": s.enabled,
        "marks": s.marks,
        "absences": s.absences,
        "homework": s.homework,
        "send_at": f"{s.send_at:%H:%M}",
        "quiet_from": f"{s.quiet_from:%H:%M}" if s.quiet_from else "",
        "quiet_to": f"{s.quiet_to:%H:%M}" if s.quiet_to else "",
        "email": s.email,
    }


@access_rule("can_manage_notifications")
def digest_settings(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    recipient = selectors.recipient_get(actor=actor)
    subscription = selectors.subscription_of(actor=actor, recipient=recipient)
    form = DigestSettingsForm(
        request.POST or None, initial=_initial(subscription), account_email=recipient.account_email
    )
    return form_flow(
        request,
        form,
        lambda data: services.subscription_save(**data, actor=actor),
        success=_("Настройки уведомлений сохранены."),
        done=reverse("notifications:settings"),
        back=reverse("portal:home"),
        title=_("Уведомления на e-mail"),
        submit=_("Сохранить"),
        template="notifications/settings.html",
        subscription=subscription,
        logs=selectors.digest_logs(subscription=subscription),
    )


# Public by a signed token: mail programs POST here without a session (RFC 8058), so no CSRF token exists.
@public
@csrf_exempt
def unsubscribe(request: ActorRequest, token: str) -> HttpResponse:
    """GET shows a one-button page (link scanners must not unsubscribe anybody); POST turns the digests off."""
    subscription_id = unsubscribe_subscription_id(token)
    subscription = DigestSubscription.objects.filter(pk=subscription_id).first() if subscription_id else None
    if subscription is None:
        return render(request, "notifications/unsubscribe.html", {"invalid": True}, status=400)
    if request.method == "POST":
        services.subscription_unsubscribe(subscription_id=subscription.pk)
        return render(request, "notifications/unsubscribe.html", {"done": True})
    return render(request, "notifications/unsubscribe.html", {"enabled": subscription.enabled})
