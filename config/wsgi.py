import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

application = get_wsgi_application()

# What is loaded by now (Django, Wagtail, apps, settings) lives as long as the process: moved
# out of the collector's generations, so the collections a large request triggers stop
# rescanning it. Measured on a 1,000-statement LRS POST: collection time per request 33 ms
# to 5 ms (of about 140 ms of CPU). Garbage is collected first, so none is kept.
gc.collect()
gc.freeze()
