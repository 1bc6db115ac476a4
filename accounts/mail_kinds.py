"""The accounts' e-mail: the invitation (a one-time link to choose a
password), and allauth's own (login code, password reset, confirming an
address, the notices of changes to an account). allauth's are written by
accounts.allauth_mail and rendered here from allauth's templates (ours under
templates/account/email/ where we say it better)."""

from datetime import datetime, timedelta
from types import SimpleNamespace
from typing import Any
from urllib.parse import urlsplit

from allauth.account import app_settings as allauth_settings
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from outbox import kinds
from outbox.models import MailStatus, OutgoingMail
from outbox.render import page_url

from .models import Invitation


class AccountMail(models.TextChoices):
    INVITATION = "invitation", _("Invitation")
    LOGIN_CODE = "account_login_code", _("Login code")
    PASSWORD_RESET_KEY = "account_password_reset_key", _("Password reset link")
    PASSWORD_RESET_CODE = "account_password_reset_code", _("Password reset code")
    UNKNOWN_ACCOUNT = "account_unknown_account", _("No account for the address")
    ACCOUNT_ALREADY_EXISTS = "account_already_exists", _("The address already has an account")
    EMAIL_CONFIRMATION = "account_email_confirmation", _("Confirm an e-mail address")
    EMAIL_CONFIRMATION_SIGNUP = "account_email_confirmation_signup", _("Confirm the address of a new account")
    EMAIL_CHANGED = "account_email_changed", _("E-mail address changed")
    EMAIL_DELETED = "account_email_deleted", _("E-mail address removed")
    PASSWORD_CHANGED = "account_password_changed", _("Password changed")
    PASSWORD_SET = "account_password_set", _("Password set")
    PASSWORD_RESET = "account_password_reset", _("Password reset")
    TOTP_ACTIVATED = "account_totp_activated", _("Two-factor authentication turned on")
    TOTP_DEACTIVATED = "account_totp_deactivated", _("Two-factor authentication turned off")
    RECOVERY_CODES_GENERATED = "account_recovery_codes_generated", _("New recovery codes")
    WEBAUTHN_ADDED = "account_webauthn_added", _("Security key added")
    WEBAUTHN_REMOVED = "account_webauthn_removed", _("Security key removed")
    OTHER = "account_other", _("Other account e-mail")


# allauth's template prefix → the kind. A prefix allauth adds in a later
# release is sent all the same, as OTHER.
ALLAUTH_KINDS = {
    "account/email/login_code": AccountMail.LOGIN_CODE,
    "account/email/password_reset_key": AccountMail.PASSWORD_RESET_KEY,
    "account/email/password_reset_code": AccountMail.PASSWORD_RESET_CODE,
    "account/email/unknown_account": AccountMail.UNKNOWN_ACCOUNT,
    "account/email/account_already_exists": AccountMail.ACCOUNT_ALREADY_EXISTS,
    "account/email/email_confirmation": AccountMail.EMAIL_CONFIRMATION,
    "account/email/email_confirmation_signup": AccountMail.EMAIL_CONFIRMATION_SIGNUP,
    "account/email/email_changed": AccountMail.EMAIL_CHANGED,
    "account/email/email_deleted": AccountMail.EMAIL_DELETED,
    "account/email/password_changed": AccountMail.PASSWORD_CHANGED,
    "account/email/password_set": AccountMail.PASSWORD_SET,
    "account/email/password_reset": AccountMail.PASSWORD_RESET,
    "mfa/email/totp_activated": AccountMail.TOTP_ACTIVATED,
    "mfa/email/totp_deactivated": AccountMail.TOTP_DEACTIVATED,
    "mfa/email/recovery_codes_generated": AccountMail.RECOVERY_CODES_GENERATED,
    "mfa/email/webauthn_added": AccountMail.WEBAUTHN_ADDED,
    "mfa/email/webauthn_removed": AccountMail.WEBAUTHN_REMOVED,
}
# What in allauth's context lets someone in: kept apart (the row's secrets)
# and cleared once the e-mail is out.
SECRET_KEYS = frozenset({"code", "key", "password_reset_url", "activate_url"})


def invitation_of(row: OutgoingMail) -> Invitation | None:
    """The invitation an invitation e-mail is about, or None; read once per
    row and kept on it, as the dispatcher's check and the rendering both
    need it."""
    if not hasattr(row, "_invitation"):
        row._invitation = (
            Invitation.objects.select_related("user", "mentorship__program", "mentorship__mentor", "mentorship__mentee")
            .filter(public_id=row.context.get("invitation"))
            .first()
        )
    return row._invitation


def _invitation_context(row: OutgoingMail, context: dict[str, Any]) -> dict[str, Any]:
    invitation = invitation_of(row)
    mentorship = invitation.mentorship if invitation else row.mentorship
    extra = {
        "invitation": invitation,
        "accept_url": page_url("invitation_accept", row.context.get("invitation")),
        "expires_days": settings.MENTORSKAP_INVITATION_DAYS,
        "expires_at": invitation.expires_at if invitation else None,
        "mentorship": mentorship,
        "program": mentorship.program if mentorship else None,
        # Whom to ask: a new person knows nobody in the program yet.
        "coordinators": _coordinators(mentorship.program) if mentorship else [],
        "other": mentorship.other_party(row.recipient) if mentorship else None,
        "role": mentorship.role_of(row.recipient) if mentorship else None,
    }
    if mentorship is not None:
        extra["object_url"] = page_url("mentorship_detail", mentorship.public_id)
    return extra


def _coordinators(program: Any) -> list[Any]:
    return list(program.coordinators.filter(is_active=True).order_by("name", "email"))


def _pair_ended(row: OutgoingMail, now: datetime) -> kinds.Skip:
    # The pair's own rule (programs.mail_kinds.pair_ended) sits above this app.
    if row.mentorship is not None and row.mentorship.is_closed:
        return MailStatus.CANCELLED, "The mentorship has ended."
    return None


def _invitation_usable(row: OutgoingMail, now: datetime) -> kinds.Skip:
    invitation = invitation_of(row)
    if invitation is None or not invitation.is_usable:
        return MailStatus.CANCELLED, "The invitation has been used or has expired."
    return None


kinds.register(
    AccountMail.INVITATION,
    context=_invitation_context,
    checks=(_pair_ended, _invitation_usable),
    relations=("mentorship__program", "mentorship__mentor", "mentorship__mentee"),
)


# --- allauth's e-mail -------------------------------------------------------

# How long what each kind carries works: an e-mail sent after that would
# only bring a code that is refused.
LIFETIMES = {
    AccountMail.LOGIN_CODE: lambda: timedelta(seconds=allauth_settings.LOGIN_BY_CODE_TIMEOUT),
    AccountMail.PASSWORD_RESET_CODE: lambda: timedelta(seconds=allauth_settings.PASSWORD_RESET_BY_CODE_TIMEOUT),
    AccountMail.PASSWORD_RESET_KEY: lambda: timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT),
}


def _allauth_context(row: OutgoingMail, context: dict[str, Any]) -> dict[str, Any]:
    """allauth's templates get what allauth gave them, read back from the
    row, with the site named as the product, not as the host."""
    extra = {key: value for key, value in row.context.items() if key not in ("datetimes", "template")}
    for key in row.context.get("datetimes", []):
        extra[key] = datetime.fromisoformat(extra[key])
    extra.update(row.secrets or {})
    template = row.context.get("template", "account/email/base_message")
    return {
        **extra,
        "user": row.recipient,
        "email": row.address,
        "current_site": SimpleNamespace(name="Mentorskap", domain=urlsplit(settings.SITE_URL).netloc),
        "subject_prefix": settings.ACCOUNT_EMAIL_SUBJECT_PREFIX,
        "subject_template": f"{template}_subject.txt",
        "message_template": f"{template}_message.txt",
    }


def _secrets_kept(row: OutgoingMail, now: datetime) -> kinds.Skip:
    """An e-mail whose code or link was cleared (it failed, and someone
    retried it) would arrive empty: the person asks for a new one."""
    if row.context.get("has_secrets") and row.secrets is None:
        return MailStatus.CANCELLED, "The code or link in this e-mail has been cleared."
    return None


def _still_valid(row: OutgoingMail, now: datetime) -> kinds.Skip:
    lifetime = LIFETIMES.get(row.kind)
    if lifetime is not None and row.created_at + lifetime() <= now:
        return MailStatus.EXPIRED, "The code or link had expired before the e-mail could be sent."
    return None


for _allauth_kind in AccountMail:
    if _allauth_kind != AccountMail.INVITATION:
        kinds.register(
            _allauth_kind,
            context=_allauth_context,
            checks=(_secrets_kept, _still_valid),
            template_dir="emails/account",
        )
