"""How long the archive keeps each kind of file (АП-147/07; the years are settings)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings


def retention_until(last_day: dt.date, kind: str) -> dt.date:
    """To the end of the N-th calendar year after the period's (the count starts on 1 January after it ends).

    Journals: ARCHIVE_RETENTION_JOURNAL_YEARS (5); summary sheets and the machine copy that holds them:
    ARCHIVE_RETENTION_SUMMARY_YEARS (25).
    """
    years = settings.ARCHIVE_RETENTION_JOURNAL_YEARS if kind == "journal" else settings.ARCHIVE_RETENTION_SUMMARY_YEARS
    return dt.date(last_day.year + years, 12, 31)
