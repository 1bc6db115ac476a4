"""The Redis cache production uses (mentorskap/redis_cache.py): Django's,
with one redis-py client per connection pool rather than one per call."""

import redis

from mentorskap.redis_cache import RedisCache

from .helpers.celery import REAL_BROKER_URL
from .helpers.services import require


def redis_url():
    require(
        REAL_BROKER_URL.startswith("redis://"), "a Redis is needed: set CELERY_BROKER_URL=redis://127.0.0.1:6379/<n>"
    )
    return REAL_BROKER_URL


def test_the_cache_reads_and_writes_through_one_client_per_pool():
    cache = RedisCache(redis_url(), {"KEY_PREFIX": "test-redis-cache"})
    cache.set("figure", {"pairs": 10_000}, 30)
    assert cache.get("figure") == {"pairs": 10_000}
    assert cache.get_many(["figure", "missing"]) == {"figure": {"pairs": 10_000}}
    cache.delete("figure")
    assert cache.get("figure") is None
    client = cache._cache.get_client()
    assert isinstance(client, redis.Redis)
    assert cache._cache.get_client(write=True) is client
    assert client.connection_pool is cache._cache._get_connection_pool(False)


def test_a_cache_of_several_servers_keeps_a_client_for_each():
    url = redis_url()
    cache = RedisCache([url, url], {"KEY_PREFIX": "test-redis-cache"})
    writer = cache._cache.get_client(write=True)
    reader = cache._cache.get_client()
    assert writer is not reader  # the first server is written, the others are read
    assert cache._cache.get_client(write=True) is writer
