"""The cache fails open: with Redis unreachable every cache call answers a miss, the API serves
without rate limits, readiness says the cache is degraded, and each failure is counted."""

import os

import pytest
from django.core.cache import cache, caches
from prometheus_client import REGISTRY
from rest_framework.test import APIClient

from webstore.cache import FailOpenRedisCache

pytestmark = pytest.mark.django_db

TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/5")
RATES = {"read": "2/minute", "write": "2/minute"}


def cache_errors(operation: str) -> float:
    return REGISTRY.get_sample_value("webstore_cache_errors_total", {"operation": operation}) or 0


def test_every_cache_call_answers_without_redis(unreachable_cache):
    calls = {
        "get": (lambda: cache.get("k", "fallback"), "fallback"),
        "get_many": (lambda: cache.get_many(["a", "b"]), {}),
        "has_key": (lambda: cache.has_key("k"), False),
        "add": (lambda: cache.add("k", 1), False),
        "set": (lambda: cache.set("k", 1), None),
        "set_many": (lambda: cache.set_many({"a": 1, "b": 2}), ["a", "b"]),
        "touch": (lambda: cache.touch("k"), False),
        "delete": (lambda: cache.delete("k"), False),
        "delete_many": (lambda: cache.delete_many(["a"]), None),
        "clear": (cache.clear, False),
    }
    for operation, (call, fallback) in calls.items():
        before = cache_errors(operation)
        assert call() == fallback, operation
        assert cache_errors(operation) == before + 1, operation
    # A counter that cannot be read is a missing key, as Django's incr() reports one.
    with pytest.raises(ValueError, match="not found"):
        cache.incr("k")
    assert cache.get_or_set("k", "computed") == "computed"


def test_the_api_serves_without_limits_while_the_cache_is_unreachable(
    settings, unreachable_cache, json_log
):
    settings.THROTTLE_RATES = RATES
    client = APIClient()
    before = cache_errors("get") + cache_errors("set")
    for n in range(10):
        assert client.get("/products").status_code == 200
        response = client.post(
            "/products", {"sku": f"C-{n}", "name": "C", "price": 1, "stock": 0}, format="json"
        )
        assert response.status_code == 201
    # Each request's throttle reads its counter and tries to write it back; all counted.
    assert cache_errors("get") + cache_errors("set") == before + 40
    # One log line for the lot, not one per call (at most one per LOG_INTERVAL_SECONDS).
    [line] = [line for line in json_log() if line["event"] == "cache_unreachable"]
    assert (line["level"], line["logger"], line["operation"]) == (
        "warning",
        "webstore.cache",
        "get",
    )
    assert line["error"].startswith("ConnectionError: Error 111 connecting to 127.0.0.1:")
    assert line["failures"] == 1


def test_readiness_reports_the_unreachable_cache_and_stays_200(unreachable_cache, api_client):
    before = cache_errors("ping")
    response = api_client.get("/health/ready")
    assert response.status_code == 200
    assert response.json() == {"status": "ready", "degraded": {"cache": "unreachable"}}
    assert cache_errors("ping") == before + 1


def test_a_reachable_redis_is_used_and_reported_ready(settings, redis_cache, api_client):
    redis_cache(TEST_REDIS_URL)
    assert isinstance(caches["default"], FailOpenRedisCache)
    settings.THROTTLE_RATES = RATES
    before = cache_errors("get")
    try:
        assert api_client.get("/health/ready").json() == {"status": "ready"}
        assert [api_client.get("/products").status_code for _ in range(3)] == [200, 200, 429]
        cache.set("k", 41)
        assert cache.incr("k") == 42
    finally:
        cache.delete_many(["k", "throttle:read:ip:127.0.0.1"])
    assert cache_errors("get") == before
