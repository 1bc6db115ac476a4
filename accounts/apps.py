from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("People and invitations")

    def ready(self):
        from . import signals  # noqa: F401  (connects the security log)
        from .admin_labels import name_allauth_in_the_admin

        name_allauth_in_the_admin()
