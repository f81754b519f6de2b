"""The WSGI entry point of the app servers (gunicorn, uwsgi, mod_wsgi)."""

import os
import sys

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ejournal.settings")
application = get_wsgi_application()
if settings.WSGI_SWITCH_INTERVAL_US > 0:  # see the setting: the GIL's hand-over between a server's threads
    sys.setswitchinterval(settings.WSGI_SWITCH_INTERVAL_US / 1_000_000)

# The templates' digest (part of the keys of cached HTML) and both template engines, made before the first
# request rather than during it: reading every template costs tens of milliseconds once per process.
from ejournal.core.templating import templates_digest  # noqa: E402 - after Django is set up

templates_digest()
