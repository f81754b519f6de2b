"""Celery tasks of the city layer (schedule them with beat; see `manage.py city_month_figures` for cron)."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="city.refresh_month_figures", ignore_result=True)
def refresh_month_figures() -> int:
    """Bring the stored journal figures of the current month and of the months before it that the monitoring
    charts (`EJ_CITY["figures_past_months"]`) of every municipality's schools up to date: only the schools whose
    journal changed (or whose figures are from another day or too old) are recomputed, so it can run every few
    minutes."""
    from django.utils import timezone

    from ejournal.schools.models import Municipality

    from .services import month_figures_refresh_kept

    today = timezone.localdate()
    return sum(month_figures_refresh_kept(municipality=m, today=today) for m in Municipality.objects.order_by("pk"))
