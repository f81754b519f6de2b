"""The WSGI entry point of the app servers (gunicorn, uwsgi, mod_wsgi)."""

import os
import sys

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ejournal.settings")
application = get_wsgi_application()
if settings.WSGI_SWITCH_INTERVAL_US > 0:  # see the setting: the GIL's hand-over between a server's threads
    sys.setswitchinterval(settings.WSGI_SWITCH_INTERVAL_US / 1_000_000)
