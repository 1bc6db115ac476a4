from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SessionsConfig(AppConfig):
    name = "sessions"
    # Never clash with django.contrib.sessions, whose label is "sessions".
    label = "mentoring_sessions"
    verbose_name = _("Meetings and notes")

    def ready(self):
        # Imported once the models are loaded: the module declares this app's
        # kinds of e-mail, and the journal is named as part of its pair.
        from programs.pair_parts import pair_parts_register

        from . import mail_kinds  # noqa: F401
        from .models import Agreement, Meeting

        pair_parts_register(Agreement, Meeting)
        # A meeting or an agreement written changes its program's figures.
        from programs.figures import figures_watch

        figures_watch(Agreement, "mentorship_id")
        figures_watch(Meeting, "mentorship_id")
