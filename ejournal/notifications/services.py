"""Writes of the notifications area: a family member's choices, unsubscribing, sending the due digests.

Sending is at most once per item: a digest is first claimed in one
transaction (a `DigestLog` row unique per subscription and slot, and the
watermark moved past the period), then sent over SMTP. A refused send
(server down, address rejected) gives the period back for a later attempt;
a crash between the claim and the answer of the server leaves the row
«sending» and nothing is ever sent twice.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ejournal.access.policy import Actor
from ejournal.core.audit import audit_record

from . import schedule
from .mail import digest_message
from .models import DigestLog, DigestSubscription
from .selectors import ChildDigest, Kinds, digest_collect, recipient_actor, recipient_get

logger = logging.getLogger(__name__)
FIELDS = ("enabled", "marks", "absences", "homework", "send_at", "quiet_from", "quiet_to", "email")


def _validate(
    *,
    enabled: bool,
    send_at: dt.time,
    quiet_from: dt.time | None,
    quiet_to: dt.time | None,
    email: str,
    account_email: str,
) -> None:
    step = settings.NOTIFICATIONS_TIME_STEP_MINUTES
    for value in (send_at, quiet_from, quiet_to):
        if value is not None and not schedule.is_on_step(value):
            raise ValidationError(
                _("Время выбирается с шагом %(step)s минут, например 19:00 или 19:30.") % {"step": step}, code="step"
            )
    if (quiet_from is None) != (quiet_to is None):
        raise ValidationError(_("Укажите и начало, и конец «тихих часов» или не указывайте ни то, ни другое."))
    if email:
        validate_email(email)
    if enabled and not (email or account_email):
        raise ValidationError(_("В учётной записи нет адреса e-mail: укажите адрес для сводки."), code="email")


def _reschedule(subscription: DigestSubscription, after: dt.datetime) -> None:
    slot, due = schedule.next_slot(after, subscription.send_at, subscription.quiet_from, subscription.quiet_to)
    subscription.next_slot, subscription.next_due_at = slot, due


@transaction.atomic
def subscription_save(
    *,
    enabled: bool,
    marks: bool,
    absences: bool,
    homework: bool,
    send_at: dt.time,
    quiet_from: dt.time | None,
    quiet_to: dt.time | None,
    email: str = "",
    actor: Actor,
) -> DigestSubscription:
    """Save the acting guardian's (or student's) digest choices.

    Turning digests on starts the period now: the first digest does not
    dump the whole year. Times are on the step of `NOTIFICATIONS_TIME_STEP_MINUTES`.
    """
    recipient = recipient_get(actor=actor)
    email = (email or "").strip()
    _validate(
        enabled=enabled,
        send_at=send_at,
        quiet_from=quiet_from,
        quiet_to=quiet_to,
        email=email,
        account_email=recipient.account_email,
    )
    now = timezone.now()
    subscription = DigestSubscription.objects.select_for_update().filter(**recipient.lookup()).first()
    old = {name: getattr(subscription, name) for name in FIELDS} if subscription else {}
    if subscription is None:
        subscription = DigestSubscription(**recipient.lookup(), watermark=now)
    elif enabled and not subscription.enabled:
        subscription.watermark = now
    values = dict(zip(FIELDS, (enabled, marks, absences, homework, send_at, quiet_from, quiet_to, email), strict=True))
    for name, value in values.items():
        setattr(subscription, name, value)
    _reschedule(subscription, now)
    subscription.save()
    changes = {name: [old.get(name), value] for name, value in values.items() if old.get(name) != value}
    audit_record(actor=actor, action="digest_subscription_save", obj=subscription, school_id=None, changes=changes)
    return subscription


@transaction.atomic
def subscription_unsubscribe(*, subscription_id: int, actor: Actor | None = None) -> DigestSubscription | None:
    """Turn the digests of a subscription off (the signed link in every e-mail); None if it is gone."""
    subscription = DigestSubscription.objects.select_for_update().filter(pk=subscription_id).first()
    if subscription is None or not subscription.enabled:
        return subscription
    subscription.enabled = False
    subscription.save(update_fields=["enabled", "updated_at"])
    audit_record(
        actor=actor,
        action="digest_unsubscribe",
        obj=subscription,
        school_id=None,
        changes={"enabled": [True, False]},
        reason="e-mail link",
    )
    return subscription


# --- sending ------------------------------------------------------------------------------------


@dataclass
class SendReport:
    sent: int = 0
    empty: int = 0
    failed: int = 0
    skipped: int = 0


@dataclass
class _Claim:
    log: DigestLog
    subscription: DigestSubscription
    children: list[ChildDigest]


def digests_send_due(*, now: dt.datetime | None = None) -> SendReport:
    """Send every digest whose time has come (the periodic job: Celery beat or cron).

    Safe to run often and from several runners at once: each slot is claimed
    once; a digest due inside the quiet hours waits until they end.
    """
    now = now or timezone.now()
    report = SendReport()
    due = DigestSubscription.objects.filter(enabled=True, next_due_at__lte=now).order_by("next_due_at", "pk")
    connection = get_connection(fail_silently=False)
    try:
        for subscription_id in due.values_list("pk", flat=True).iterator():
            _send_one(subscription_id, now, connection, report)
    finally:
        connection.close()
    return report


def _send_one(subscription_id: int, now: dt.datetime, connection: BaseEmailBackend, report: SendReport) -> None:
    try:
        claim = _claim(subscription_id, now)
    except IntegrityError:  # another runner claimed this slot at the same moment
        claim = None
    if claim is None:
        report.skipped += 1
        return
    if not claim.children:
        report.empty += 1
        return
    try:
        message = digest_message(
            subscription=claim.subscription, to=claim.log.email, children=claim.children, slot=claim.log.slot
        )
        if not connection.send_messages([message]):
            raise RuntimeError("no recipient address")
    except Exception as exc:  # SMTP refusals and network errors: give the period back, retry later
        logger.warning("Digest %s to subscription %s failed: %s", claim.log.pk, subscription_id, exc)
        connection.close()
        _release(claim.log, now, str(exc))
        report.failed += 1
        return
    DigestLog.objects.filter(pk=claim.log.pk).update(status=DigestLog.Status.SENT, sent_at=timezone.now(), error="")
    report.sent += 1


@transaction.atomic
def _claim(subscription_id: int, now: dt.datetime) -> _Claim | None:
    """Take the due slot of a subscription: record the digest and move the watermark, in one transaction."""
    subscription = (
        DigestSubscription.objects.select_for_update(of=("self",))
        .select_related("guardian__user", "student__user")
        .filter(pk=subscription_id, enabled=True, next_due_at__lte=now)
        .first()
    )
    if subscription is None or schedule.is_quiet_now(now, subscription.quiet_from, subscription.quiet_to):
        return None
    slot, due = subscription.next_slot, subscription.next_due_at
    if slot is None or due is None:  # an enabled subscription always has its next slot
        return None
    log = DigestLog.objects.filter(subscription=subscription, slot=slot).first()
    if log is not None and log.status != DigestLog.Status.FAILED:
        _reschedule(subscription, max(now, due))
        subscription.save(update_fields=["next_slot", "next_due_at"])
        return None
    start = subscription.watermark
    end = max(start, now - dt.timedelta(seconds=settings.NOTIFICATIONS_SETTLE_SECONDS))
    kinds = Kinds(marks=subscription.marks, absences=subscription.absences, homework=subscription.homework)
    children = digest_collect(actor=recipient_actor(subscription), kinds=kinds, start=start, end=end)
    values = {
        "period_start": start,
        "period_end": end,
        "status": DigestLog.Status.SENDING if children else DigestLog.Status.EMPTY,
        "email": subscription.email or _account_email(subscription),
        "marks_count": sum(len(c.marks) for c in children),
        "absences_count": sum(c.absences_count for c in children),
        "homework_count": sum(len(c.homework) for c in children),
        "error": "",
    }
    if log is None:
        log = DigestLog.objects.create(subscription=subscription, slot=slot, **values)
    else:
        for name, value in values.items():
            setattr(log, name, value)
        log.attempts += 1
        log.save()
    subscription.watermark = end
    _reschedule(subscription, max(now, due))
    subscription.save(update_fields=["watermark", "next_slot", "next_due_at"])
    return _Claim(log=log, subscription=subscription, children=children)


def _account_email(subscription: DigestSubscription) -> str:
    person = subscription.guardian or subscription.student
    user_email = person.user.email if person and person.user else ""
    return user_email or (subscription.guardian.email if subscription.guardian else "")


@transaction.atomic
def _release(log: DigestLog, now: dt.datetime, error: str) -> None:
    """After a refused send: give the period back and retry the slot at the next run (up to the limit)."""
    subscription = DigestSubscription.objects.select_for_update().get(pk=log.subscription_id)
    DigestLog.objects.filter(pk=log.pk).update(status=DigestLog.Status.FAILED, error=error[:500])
    if subscription.watermark == log.period_end:
        subscription.watermark = log.period_start
    if log.attempts < settings.NOTIFICATIONS_MAX_ATTEMPTS:
        subscription.next_slot, subscription.next_due_at = log.slot, now
    subscription.save(update_fields=["watermark", "next_slot", "next_due_at"])
