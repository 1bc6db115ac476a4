"""The two ways in (Django's password check and allauth's), each resolving
the logged-in person through the cache (accounts.user_cache) rather than a
query on every page. Only get_user differs from the libraries' backends."""

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend

from .user_cache import cached_user, remember_user


class CachedUserMixin:
    def get_user(self, user_id):
        user = cached_user(user_id)
        if user is None:
            try:
                user = get_user_model()._default_manager.get(pk=user_id)
            except get_user_model().DoesNotExist:
                return None
            remember_user(user)
        # Checked on every page, on the cached row as on a fresh one.
        return user if self.user_can_authenticate(user) else None


class ModelBackend(CachedUserMixin, DjangoModelBackend):
    pass


class AuthenticationBackend(CachedUserMixin, AllauthBackend):
    pass
