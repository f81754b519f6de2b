"""Writes of the diary: «Ознакомлен» and the private calendar feed's key. Each in one transaction, audited."""

from __future__ import annotations

import datetime as dt
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ejournal.access import policy
from ejournal.access.policy import Actor
from ejournal.access.roles import Role
from ejournal.core.audit import audit_record
from ejournal.people.models import Student
from ejournal.timetable.calendar import week_start as monday_of

from .models import FeedKey, WeekAcknowledgement


def week_acknowledge(*, student: Student, week_start: dt.date, actor: Actor) -> WeekAcknowledgement:
    """Record that the guardian has seen the child's week; again for the same week changes nothing.

    Refuses a date that is not a Monday and a week that has not begun yet.
    """
    policy.enforce(actor, "can_acknowledge_diary_week", student)
    if week_start.weekday() != 0:
        raise ValidationError(_("Неделя должна начинаться с понедельника."), code="week")
    if week_start > monday_of(timezone.localdate()):
        raise ValidationError(_("Нельзя отметить ознакомление с неделей, которая ещё не началась."), code="future")
    with transaction.atomic():
        ack, created = WeekAcknowledgement.objects.get_or_create(
            student=student,
            guardian_user_id=actor.user_id,
            week_start=week_start,
            defaults={"school_id": student.school_id, "at": timezone.now()},
        )
        if created:
            audit_record(actor=actor, action="diary.week_acknowledged", obj=ack,
                         changes={"week_start": [None, week_start.isoformat()]})  # fmt: skip
    return ack


def feed_key_reset(*, actor: Actor) -> FeedKey:
    """Give the user a new calendar key; every URL made with the old one stops working at once."""
    if actor.role not in (Role.GUARDIAN, Role.STUDENT) or not actor.student_ids:
        raise ValidationError(_("Календарь доступен только родителям и обучающимся."), code="role")
    with transaction.atomic():
        old = FeedKey.objects.select_for_update().filter(user=actor.user_id, role=actor.role).first()
        if old is not None:
            old.delete()
        key = FeedKey.objects.create(user_id=actor.user_id_required, role=actor.role, key=secrets.token_urlsafe(16))
        audit_record(actor=actor, action="diary.feed_key_reset" if old else "diary.feed_key_created", obj=key)
    return key
