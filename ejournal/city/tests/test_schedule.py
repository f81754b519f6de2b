"""The worker's beat keeps the stored monthly figures fresh enough for the report to serve them."""

from ejournal.city.rules import city_setting
from ejournal.city.tasks import refresh_month_figures


def test_the_beat_refreshes_the_month_figures_within_their_max_age(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["city-month-figures"]
    assert entry["task"] == refresh_month_figures.name
    assert entry["schedule"] < city_setting("figures_max_age_minutes") * 60
