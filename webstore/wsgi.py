"""WSGI entry point used by gunicorn (see gunicorn.conf.py); starts tracing when configured."""

import os

from django.core.wsgi import get_wsgi_application

from webstore.observability.tracing import tracing_configure

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "webstore.settings")

tracing_configure()
application = get_wsgi_application()
