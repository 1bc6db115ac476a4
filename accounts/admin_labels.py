"""Swedish names in the admin for what allauth brings.

allauth leaves some of its admin names untranslated (its models have no
verbose names, "MFA" has no Swedish) and spells "Epost-adress" where we
write "e-postadress". A superuser reads these every week, so they are named
here, in our own catalogue. Called once from AccountsConfig.ready().
"""

from django.apps import apps
from django.utils.translation import gettext_lazy as _

APP_NAMES = {
    "account": _("E-mail addresses and logins"),
    "mfa": _("Two-factor authentication"),
    "usersessions": _("Sessions"),
}

MODEL_NAMES = {
    ("account", "emailaddress"): (_("e-mail address"), _("e-mail addresses")),
    ("mfa", "authenticator"): (_("authenticator"), _("authenticators")),
    ("usersessions", "usersession"): (_("session"), _("sessions")),
}


def name_allauth_in_the_admin():
    for label, name in APP_NAMES.items():
        if apps.is_installed(f"allauth.{label}"):
            apps.get_app_config(label).verbose_name = name
    for (label, model_name), (singular, plural) in MODEL_NAMES.items():
        if apps.is_installed(f"allauth.{label}"):
            meta = apps.get_model(label, model_name)._meta
            meta.verbose_name, meta.verbose_name_plural = singular, plural
