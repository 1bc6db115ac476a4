"""Log every login, failed login (a wrong password, e-mailed code or second factor) and
logout on the security logger; close a person's open invitations when they
log in; forget a person's cached row when it changes (accounts.user_cache)."""

from allauth.account.signals import login_code_rejected
from allauth.mfa.signals import authentication_failed as mfa_authentication_failed
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from mentorskap.text import log_safe

from .models import User
from .security import client_ip, security_log
from .services import invitations_close
from .user_cache import forget_user


@receiver(user_logged_in, dispatch_uid="mentorskap_log_login")
def log_login(sender, request, user, **kwargs):
    security_log.info("login user=%s ip=%s", user.pk, client_ip(request))


@receiver(user_logged_in, dispatch_uid="mentorskap_close_invitations")
def close_invitations(sender, request, user, **kwargs):
    # Django's signal, not allauth's: it is sent for every login (password,
    # e-mailed code, after the second factor, the invitation itself), so no
    # way in leaves a link open that could later reset the password and skip
    # the second factor.
    invitations_close(user=user)


@receiver(user_logged_out, dispatch_uid="mentorskap_log_logout")
def log_logout(sender, request, user, **kwargs):
    security_log.info("logout user=%s ip=%s", getattr(user, "pk", None), client_ip(request))


@receiver(user_login_failed, dispatch_uid="mentorskap_log_login_failed")
def log_login_failed(sender, credentials, request=None, **kwargs):
    # Django has already masked the password; people sometimes type a
    # password into the address field, so only something shaped like an
    # address is noted.
    tried = str(credentials.get("email") or credentials.get("username") or "")
    tried = tried[:254] if "@" in tried else "(not an e-mail address)"
    security_log.warning("login failed login=%s ip=%s", log_safe(tried), log_safe(client_ip(request)))


@receiver(login_code_rejected, dispatch_uid="mentorskap_log_login_code_failed")
def log_login_code_failed(sender, request, user, last_attempt, **kwargs):
    # allauth sends this for a wrong code at login and at reauthentication,
    # only when the address has an account (an unknown one gets no real code).
    # The code typed is never noted: it may be one digit off the right one.
    security_log.warning(
        "login code failed user=%s ip=%s last_attempt=%s", user.pk, client_ip(request), "yes" if last_attempt else "no"
    )


@receiver(mfa_authentication_failed, dispatch_uid="mentorskap_log_mfa_failed")
def log_second_factor_failed(sender, request, user, authenticator, **kwargs):
    # A wrong authenticator or recovery code: a failed login like any other.
    security_log.warning(
        "second factor failed user=%s ip=%s kind=%s",
        user.pk,
        log_safe(client_ip(request)),
        authenticator.type if authenticator else "-",
    )


@receiver(post_save, sender=User, dispatch_uid="mentorskap_forget_saved_user")
@receiver(post_delete, sender=User, dispatch_uid="mentorskap_forget_deleted_user")
def forget_changed_user(sender, instance, created=False, update_fields=None, **kwargs):
    # A new person has no cached row. A login writes last_login alone, which
    # nothing reads from the cached row. Forgetting either would only send
    # the person's first pages to the database.
    if created or (update_fields is not None and set(update_fields) == {"last_login"}):
        return
    forget_user(instance.pk)
