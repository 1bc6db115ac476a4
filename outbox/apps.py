from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from . import checks  # noqa: F401  (registers the outbox's checks; it loads no model)


class OutboxConfig(AppConfig):
    name = "outbox"
    label = "outbox"
    verbose_name = _("E-mail")
