"""The private calendar feed: the secret token of its URL and the iCalendar text (RFC 5545).

The token is `<key>.<signature>`: the key is stored, the signature is an HMAC
of it with the site's secret and is never stored; it is compared in constant
time, so neither a database copy nor timing gives a working URL away.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from .models import FeedKey
from .selectors import FeedItem

FEED_SALT = "ejournal.diary.feed"
SIGNATURE_LENGTH = 40
# How far the feed reaches: one week back (a changed lesson still shows) and this many weeks ahead.
DEFAULT_FEED_WEEKS = 4


def feed_weeks() -> int:
    return int(getattr(settings, "EJ_DIARY_FEED_WEEKS", DEFAULT_FEED_WEEKS))


def _signature(key: str) -> str:
    return salted_hmac(FEED_SALT, key, algorithm="sha256").hexdigest()[:SIGNATURE_LENGTH]


def feed_token(key: FeedKey) -> str:
    return f"{key.key}.{_signature(key.key)}"


def feed_key_resolve(token: str) -> FeedKey | None:
    """The key a token stands for, or None for anything forged, reset or malformed."""
    key_part, _sep, signature = token.partition(".")
    if not key_part or len(signature) != SIGNATURE_LENGTH or len(key_part) > 32:
        return None
    if not constant_time_compare(_signature(key_part), signature):
        return None
    return FeedKey.objects.select_related("user").filter(key=key_part).first()


def feed_range(today: dt.date) -> tuple[dt.date, dt.date]:
    return today - dt.timedelta(days=7), today + dt.timedelta(weeks=feed_weeks())


def _lesson_event(item: FeedItem, tz: ZoneInfo):
    from icalendar import Event

    lesson, student = item.lesson, item.student
    assert lesson is not None  # a lesson's item
    event = Event()
    event.add("uid", f"lesson-{lesson.pk}-{student.pk}@ejournal")
    event.add("summary", _("%(subject)s — %(child)s") % {"subject": lesson.subject, "child": student.first_name})
    if item.bell is not None:
        event.add("dtstart", dt.datetime.combine(lesson.date, item.bell.starts_at, tzinfo=tz))
        event.add("dtend", dt.datetime.combine(lesson.date, item.bell.ends_at, tzinfo=tz))
    else:
        event.add("dtstart", lesson.date)
    teacher = lesson.substitute or lesson.teacher
    lines = [_("Урок %(number)s, учитель: %(teacher)s") % {"number": lesson.lesson_number,
                                                           "teacher": teacher.get_full_name()}]  # fmt: skip
    if lesson.substitute_id:
        lines.append(_("Замена"))
    if lesson.topic:
        lines.append(_("Тема: %(topic)s") % {"topic": lesson.topic})
    event.add("description", "\n".join(lines))
    return event


def _homework_event(item: FeedItem):
    from icalendar import Event

    homework, student = item.homework, item.student
    assert homework is not None  # a homework's item
    event = Event()
    event.add("uid", f"homework-{homework.pk}-{student.pk}@ejournal")
    event.add("summary", _("Д/з: %(subject)s — %(child)s") % {"subject": homework.lesson.subject,
                                                              "child": student.first_name})  # fmt: skip
    event.add("dtstart", homework.due_date)
    event.add("dtend", homework.due_date + dt.timedelta(days=1))
    event.add("description", homework.text)
    return event


def calendar_ics(items: list[FeedItem]) -> bytes:
    """The iCalendar file of the feed's lessons (timed by the bells) and homework due dates (all-day)."""
    from icalendar import Calendar

    tz = ZoneInfo(settings.TIME_ZONE)
    calendar = Calendar()
    calendar.add("prodid", "-//ejournal//diary//RU")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", _("Дневник: расписание и задания"))
    stamp = timezone.now()
    for item in items:
        event = _lesson_event(item, tz) if item.lesson is not None else _homework_event(item)
        event.add("dtstamp", stamp)
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
