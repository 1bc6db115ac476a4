from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgramsConfig(AppConfig):
    name = "programs"
    verbose_name = _("Mentorship programs")

    def ready(self):
        # Imported once the models are loaded: the module declares this app's
        # kinds of e-mail, and the pair's parts below it are named here.
        from accounts.models import Invitation
        from outbox.models import OutgoingMail

        from . import mail_kinds  # noqa: F401
        from .pair_parts import pair_parts_register

        pair_parts_register(Invitation, OutgoingMail)
        # The program's cached figures follow every write to its pairs.
        from .figures import figures_connect

        figures_connect()
