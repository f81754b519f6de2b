"""What the journal's selectors share: today's date in the school's time zone."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


def today() -> dt.date:
    return timezone.localdate()
