from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SessionsConfig(AppConfig):
    name = "sessions"
    # Never clash with django.contrib.sessions, whose label is "sessions".
    label = "mentoring_sessions"
    verbose_name = _("Meetings and notes")
