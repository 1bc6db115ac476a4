"""mentorskap.wsgi as production serves it, with bench.urls as the URL conf
so the served app also answers the bench's yardsticks (/ping/, /ping/user/).
Only the URL conf differs: the settings are production's, from the
environment."""

import os

import django
from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mentorskap.settings")
django.setup(set_prefix=False)
settings.ROOT_URLCONF = "bench.urls"
application = WSGIHandler()
