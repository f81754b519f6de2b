"""The Celery task of the periodic digest run (scheduled by beat, see CELERY_BEAT_SCHEDULE in settings)."""

from __future__ import annotations

from celery import shared_task

from .services import digests_send_due


@shared_task(name="notifications.send_due_digests", ignore_result=True)
def send_due_digests() -> dict[str, int]:
    """Send the digests whose time has come; the same service as `manage.py notifications_send_due`."""
    return vars(digests_send_due())
