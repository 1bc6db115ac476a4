from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgramsConfig(AppConfig):
    name = "programs"
    verbose_name = _("Mentorship programs")

    def ready(self):
        # Imported once the models are loaded: the module declares this app's
        # kinds of e-mail, and the pair's parts below it are named here.
        from accounts.models import Invitation
        from audit.registry import track
        from outbox.models import OutgoingMail

        from . import mail_kinds  # noqa: F401
        from .models import BackgroundCheck, Mentorship, Program
        from .pair_parts import pair_parts_register

        pair_parts_register(Invitation, OutgoingMail)
        # The audit trail: who created, changed or deleted programs, pairs
        # and background-check records (the dates, never a document).
        track(Program, m2m_fields=("coordinators", "focus_areas"), scope=lambda program: (program.pk, None))
        track(
            Mentorship,
            m2m_fields=("focus_areas",),
            note_fields=("end_note",),  # a party's words about the ending
            scope=lambda pair: (pair.program_id, pair.pk),
        )
        track(BackgroundCheck, never_stored=("expiry_notice_sent_at",))
        # The program's cached figures follow every write to its pairs.
        from .figures import figures_connect

        figures_connect()
