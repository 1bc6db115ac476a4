from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("People and invitations")

    def ready(self):
        # Imported once the models are loaded: the security log's receivers,
        # this app's kinds of e-mail, and allauth's names in the admin.
        from audit.registry import track

        from . import mail_kinds, signals  # noqa: F401
        from .admin_labels import name_allauth_in_the_admin
        from .models import User

        name_allauth_in_the_admin()
        # The audit trail follows people; never their password hash, nor
        # every login (the security log has those).
        track(User, never_stored=("password", "last_login"))
