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
        from audit.registry import track
        from programs.pair_parts import pair_parts_register

        from . import checks, mail_kinds  # noqa: F401
        from .models import Agreement, AgreementVersion, Meeting

        pair_parts_register(Agreement, Meeting)
        # The audit trail says who created, changed or deleted the journal,
        # never what it says: every field people write in is note text. The
        # comments and "kom ihåg" items are not followed at all (their names
        # in the trail would be their text).
        track(
            Agreement,
            note_fields=[name for name in Agreement.TEXT_FIELDS if name != "confidentiality"],
            scope=lambda agreement: (None, agreement.mentorship_id),
        )
        track(
            AgreementVersion,
            note_fields=("content",),
            scope=lambda version: (None, version.agreement.mentorship_id),
        )
        track(Meeting, note_fields=("reflection", "summary"), scope=lambda meeting: (None, meeting.mentorship_id))
        # A meeting or an agreement written changes its program's figures.
        from programs.figures import figures_watch

        figures_watch(Agreement, "mentorship_id")
        figures_watch(Meeting, "mentorship_id")
