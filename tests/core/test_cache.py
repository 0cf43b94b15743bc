import socket

import pytest

from cqtt.core.cache import RedisCache


def _redis_up() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
        return True
    except OSError:
        return False


@pytest.mark.skipif(not _redis_up(), reason="no Redis on 127.0.0.1:6379")
def test_redis_cache_keeps_one_client_and_works():
    cache = RedisCache("redis://127.0.0.1:6379/9", {"KEY_PREFIX": "cqtt-test"})
    cache.set("k", {"Hà Nội": 1}, 30)
    assert cache.get("k") == {"Hà Nội": 1}
    assert cache.get_many(["k", "absent"]) == {"k": {"Hà Nội": 1}}
    assert cache._cache.get_client(write=True) is cache._cache.get_client(write=False)
    cache.delete("k")
    assert cache.get("k") is None
