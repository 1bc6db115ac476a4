"""The logged-in person read from the cache (accounts/user_cache.py): no
query for their row on every page, and never an old row after a change."""

import time
import uuid
from io import StringIO

import pytest
from django.contrib import auth
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import user_cache
from accounts.models import User
from accounts.user_cache import cached_user, remember_user

from .helpers.celery import REAL_BROKER_URL
from .helpers.services import require


def a_few_seconds_later(person):
    """The marker a write leaves in the row's place has expired."""
    cache.delete(user_cache._key(person.pk))


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


def test_a_changed_row_is_cached_again_once_the_marker_expires(monkeypatch, client_for, mentee):
    monkeypatch.setattr(user_cache, "FORGOTTEN_SECONDS", 1)
    client = client_for(mentee)
    mentee.name = "Maja Nyberg"
    mentee.save(update_fields=["name"])
    assert len(user_row_reads(client, reverse("profile"))) == 1  # the marker: from the database
    time.sleep(1.1)
    assert len(user_row_reads(client, reverse("profile"))) == 1  # read once more, and cached
    assert user_row_reads(client, reverse("profile")) == []
    assert cached_user(mentee.pk).name == "Maja Nyberg"


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
    assert cached_user(mentee.pk) is None  # the switch writes with update(), which forgets the row too
    assert client.get(reverse("profile")).wsgi_request.user.language == "en"


@pytest.mark.django_db(transaction=True)
def test_a_row_read_before_a_commit_is_never_put_back_after_it(mentee):
    stale = User.objects.get(pk=mentee.pk)
    with transaction.atomic():
        mentee.is_active = False
        mentee.save(update_fields=["is_active"])
        # Another request, which still sees the committed row, caches it meanwhile...
        remember_user(stale)
        assert cached_user(mentee.pk) is None
    # ...or only after the commit: either way the old row does not come back.
    remember_user(stale)
    assert cached_user(mentee.pk) is None


def test_an_update_of_people_forgets_their_rows(client_for, mentee, mentor):
    for person in (mentee, mentor):
        client_for(person).get(reverse("profile"))
        assert cached_user(person.pk) is not None
    User.objects.filter(pk__in=[mentee.pk, mentor.pk]).update(is_active=False)
    assert cached_user(mentee.pk) is None and cached_user(mentor.pk) is None
    a_few_seconds_later(mentor)
    remember_user(User.objects.get(pk=mentor.pk))
    assert cached_user(mentor.pk) is not None
    mentor.is_active = True
    User.objects.bulk_update([mentor], ["is_active"])
    assert cached_user(mentor.pk) is None


def test_a_login_keeps_the_cached_row(client_for, mentee):
    """A login writes only last_login: the person's row stays cached."""
    client_for(mentee).get(reverse("profile"))
    client = client_for(mentee)  # logs in again
    assert cached_user(mentee.pk) is not None
    assert user_row_reads(client, reverse("profile")) == []


def test_the_profile_form_writes_back_only_its_own_fields(client_for, mentee):
    """A cached row a moment old must not undo a change made elsewhere."""
    client = client_for(mentee)
    client.get(reverse("profile"))
    # As if the admin had made her staff in a way the cache never heard of.
    with connection.cursor() as cursor:
        cursor.execute("UPDATE accounts_user SET is_staff = TRUE WHERE id = %s", [mentee.pk])
    response = client.post(reverse("profile"), {"name": "Maja Nyberg", "language": "sv"})
    assert response.status_code == 302
    mentee.refresh_from_db()
    assert mentee.name == "Maja Nyberg"
    assert mentee.is_staff  # not written back from the cached row


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
            "KEY_PREFIX": f"test-user-cache-{uuid.uuid4()}",  # never a row of an earlier run
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
