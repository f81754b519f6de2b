"""The Celery application: `celery -A ejournal worker -B` (see `make worker` and docs/ru/notifications.md).

Settings come from Django's, prefixed CELERY_ (broker on the municipality's Redis).
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ejournal.settings")

app = Celery("ejournal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
