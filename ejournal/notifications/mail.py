"""The digest e-mail: plain text and HTML in Russian, the signed unsubscribe link and its headers."""

from __future__ import annotations

import dataclasses
import datetime as dt

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from .models import DigestSubscription
from .selectors import ChildDigest

UNSUBSCRIBE_SALT = "ejournal.notifications.unsubscribe"


def unsubscribe_token(subscription: DigestSubscription) -> str:
    """A signed, URL-safe token naming the subscription; valid until the secret key changes."""
    return signing.dumps({"s": subscription.pk}, salt=UNSUBSCRIBE_SALT, compress=False)


def unsubscribe_subscription_id(token: str) -> int | None:
    """The subscription a token names, or None for a forged or damaged token (compared in constant time)."""
    try:
        payload = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    value = payload.get("s") if isinstance(payload, dict) else None
    return value if isinstance(value, int) else None


def site_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _with_diary_links(children: list[ChildDigest]) -> list[ChildDigest]:
    return [dataclasses.replace(c, diary_url=site_url(reverse("diary:week", args=[c.student_id]))) for c in children]


def digest_message(
    *, subscription: DigestSubscription, to: str, children: list[ChildDigest], slot: dt.datetime
) -> EmailMultiAlternatives:
    """Build the digest of `children` for `to`, in the site's language (Russian)."""
    unsubscribe = site_url(reverse("notifications:unsubscribe", args=[unsubscribe_token(subscription)]))
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "children": _with_diary_links(children),
            "slot": slot,
            "diary_url": site_url(reverse("diary:home")),
            "settings_url": site_url(reverse("notifications:settings")),
            "unsubscribe_url": unsubscribe,
        }
        subject = _("Электронный дневник: новое на %(date)s") % {"date": f"{slot:%d.%m.%Y}"}
        text = render_to_string("notifications/email/digest.txt", context)
        html = render_to_string("notifications/email/digest.html", context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        headers={
            # RFC 2369 and RFC 8058: mail programs show an «unsubscribe» button that POSTs to the link.
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )
    message.attach_alternative(html, "text/html")
    return message
