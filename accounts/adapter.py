from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings

from .allauth_mail import allauth_mail_enqueue


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        # People are invited by a coordinator; open sign-up is a setting.
        return settings.MENTORSKAP_OPEN_SIGNUP

    def set_password(self, user, password):
        # Only the password: the rest of the person may be the cached row.
        user.set_password(password)
        user.save(update_fields=["password"])

    def send_mail(self, template_prefix, email, context):
        # Every e-mail is an outbox row: the page answers at once, whether
        # or not the SMTP server is up (accounts.allauth_mail).
        allauth_mail_enqueue(template_prefix=template_prefix, email=email, context=context)
