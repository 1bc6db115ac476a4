from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        # People are invited by a coordinator; open sign-up is a setting.
        return settings.MENTORSKAP_OPEN_SIGNUP
