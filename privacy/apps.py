from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "privacy"
    verbose_name = _("Privacy")

    def ready(self):
        # The kinds of e-mail this app writes (the erasure request, the retention warning).
        from . import mail_kinds  # noqa: F401
