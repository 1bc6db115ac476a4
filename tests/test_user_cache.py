"""The logged-in person read from the cache (accounts/user_cache.py): no
query for their row on every page, and never an old row after a change."""

from io import StringIO

import pytest
from django.contrib import auth
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from accounts.user_cache import cached_user, remember_user

from .helpers.celery import REAL_BROKER_URL
from .helpers.services import require


def user_row_reads(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return [q["sql"] for q in queries if q["sql"].startswith('SELECT "accounts_user"."id"')]


def test_a_page_reads_the_logged_in_person_from_the_cache(client_for, mentee):
    client = client_for(mentee)
    assert len(user_row_reads(client, reverse("profile"))) == 1  # the first page puts the row in the cache
    assert user_row_reads(client, reverse("profile")) == []
    assert user_row_reads(client, reverse("home")) == []
    assert cached_user(mentee.pk) == mentee


def test_a_saved_change_shows_on_the_next_page(client_for, mentee):
    client = client_for(mentee)
    client.get(reverse("profile"))
    mentee.name = "Maja Nyberg"
    mentee.save(update_fields=["name"])
    assert cached_user(mentee.pk) is None
    assert "Maja Nyberg" in client.get(reverse("profile")).content.decode()


def test_a_deleted_person_is_logged_out_at_once(client_for, mentee):
    client = client_for(mentee)
    client.get(reverse("profile"))
    User.objects.filter(pk=mentee.pk).delete()  # a queryset's delete sends post_delete too
    assert cached_user(mentee.pk) is None
    assert client.get(reverse("profile")).status_code == 302
    assert not auth.get_user(client).is_authenticated


def test_the_language_switch_is_seen_by_the_next_page(client_for, mentee):
    client = client_for(mentee)
    client.get(reverse("profile"))
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert cached_user(mentee.pk) is None  # update() sends no signal: the view forgets the row itself
    client.get(reverse("profile"))
    assert cached_user(mentee.pk).language == "en"


@pytest.mark.django_db(transaction=True)
def test_a_row_read_before_the_commit_is_forgotten_when_it_commits(mentee):
    stale = User.objects.get(pk=mentee.pk)
    with transaction.atomic():
        mentee.is_active = False
        mentee.save(update_fields=["is_active"])
        # Another request, which still sees the committed row, caches it meanwhile.
        remember_user(stale)
        assert cached_user(mentee.pk).is_active
    assert cached_user(mentee.pk) is None


def test_a_deactivation_reaches_every_web_process_through_the_shared_cache(settings, client_for, mentee):
    """Production's cache is Redis, which every web process reads: the row a
    process cached is gone for all of them once the person is saved."""
    require(
        REAL_BROKER_URL.startswith("redis://"), "a Redis is needed: set CELERY_BROKER_URL=redis://127.0.0.1:6379/<n>"
    )
    settings.CACHES = {
        "default": {
            "BACKEND": "mentorskap.redis_cache.RedisCache",
            "LOCATION": REAL_BROKER_URL,
            "KEY_PREFIX": f"test-user-cache-{mentee.pk}",
        }
    }
    client = client_for(mentee)
    assert client.get(reverse("profile")).status_code == 200
    assert user_row_reads(client, reverse("profile")) == []  # read from Redis
    mentee.is_active = False
    mentee.save(update_fields=["is_active"])
    assert client.get(reverse("profile")).status_code == 302
    assert not auth.get_user(client).is_authenticated


def test_cache_clear_forgets_every_cached_row(client_for, mentee):
    """After a restore (docs/deploy.md) the people's rows come from the database again."""
    client = client_for(mentee)
    client.get(reverse("profile"))
    assert cached_user(mentee.pk) is not None
    out = StringIO()
    call_command("cache_clear", stdout=out)
    assert cached_user(mentee.pk) is None
    assert "The cache is empty" in out.getvalue()
    assert len(user_row_reads(client, reverse("profile"))) == 1
