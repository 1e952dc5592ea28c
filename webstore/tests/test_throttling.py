"""Rate limits: 429 with Retry-After, per API key or client IP, reads and writes apart."""

import os
import subprocess
import sys
import uuid

import pytest
import redis
from django.conf import settings
from django.core.cache import caches
from django.test import RequestFactory
from rest_framework.test import APIClient

from webstore.access.services import api_key_create
from webstore.access.throttling import client_ip

pytestmark = pytest.mark.django_db

RATES = {"read": "3/minute", "write": "2/minute"}
# A database number and key prefix of our own on the shared Redis.
TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/5")


def new_product(n):
    return {"sku": f"T-{n}", "name": "T", "price": 1, "stock": 0}


def assert_throttled(response):
    assert response.status_code == 429
    assert response.json()["detail"].startswith("Request was throttled. Expected available in ")
    assert 1 <= int(response["Retry-After"]) <= 60


def test_reads_and_writes_have_separate_budgets(settings, clean_cache, api_client):
    settings.THROTTLE_RATES = RATES
    for _ in range(3):
        assert api_client.get("/products").status_code == 200
    assert_throttled(api_client.get("/products"))
    assert_throttled(api_client.get("/orders"))
    assert api_client.post("/products", new_product(1)).status_code == 201
    assert api_client.post("/products", new_product(2)).status_code == 201
    response = api_client.post("/products", new_product(3))
    assert_throttled(response)


def test_each_api_key_has_its_own_budget_apart_from_its_ip(settings, clean_cache):
    settings.THROTTLE_RATES = RATES
    settings.REQUIRE_API_KEY = True
    clients = []
    for name in ("a", "b"):
        _, secret = api_key_create(name=name)
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
        clients.append(client)
    anonymous = APIClient()
    for n, client in enumerate(clients):
        assert client.post("/products", new_product(10 * n)).status_code == 201
        assert client.post("/products", new_product(10 * n + 1)).status_code == 201
        assert_throttled(client.post("/products", new_product(10 * n + 2)))
    # Same IP, no key: counted apart from the keys.
    assert anonymous.get("/products").status_code == 200


def test_clients_are_told_apart_by_ip(settings, clean_cache):
    settings.THROTTLE_RATES = RATES
    first, second = APIClient(REMOTE_ADDR="10.0.0.1"), APIClient(REMOTE_ADDR="10.0.0.2")
    for _ in range(3):
        assert first.get("/products").status_code == 200
    assert_throttled(first.get("/products"))
    assert second.get("/products").status_code == 200


def test_off_means_unlimited(settings, clean_cache, api_client):
    settings.THROTTLE_RATES = {"read": None, "write": None}
    for _ in range(20):
        assert api_client.get("/products").status_code == 200


@pytest.mark.parametrize(
    "proxies, forwarded, expected",
    [
        (0, "6.6.6.6", "10.1.1.1"),  # no proxy: the header is the client's own claim
        (1, "6.6.6.6, 203.0.113.7", "203.0.113.7"),  # the entry our proxy appended
        (1, "203.0.113.7", "203.0.113.7"),
        (2, "6.6.6.6, 203.0.113.7, 10.0.0.2", "203.0.113.7"),
        (1, "", "10.1.1.1"),
    ],
)
def test_client_ip_trusts_only_our_proxies(settings, proxies, forwarded, expected):
    settings.NUM_PROXIES = proxies
    request = RequestFactory().get("/", REMOTE_ADDR="10.1.1.1", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


def test_spoofed_forwarded_for_does_not_dodge_the_limit(settings, clean_cache):
    settings.THROTTLE_RATES = RATES
    settings.NUM_PROXIES = 1
    for n in range(3):
        client = APIClient(HTTP_X_FORWARDED_FOR=f"1.2.3.{n}, 198.51.100.4")
        assert client.get("/products").status_code == 200
    assert_throttled(APIClient(HTTP_X_FORWARDED_FOR="9.9.9.9, 198.51.100.4").get("/products"))


def test_counters_live_in_redis_when_configured(settings, api_client):
    prefix = f"test-{uuid.uuid4().hex[:8]}"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": TEST_REDIS_URL,
            "KEY_PREFIX": prefix,
        }
    }
    settings.THROTTLE_RATES = RATES
    raw = redis.Redis.from_url(TEST_REDIS_URL)
    try:
        for _ in range(3):
            assert api_client.get("/products").status_code == 200
        assert_throttled(api_client.get("/products"))
        keys = [key.decode() for key in raw.keys(f"{prefix}:*")]
        assert keys == [f"{prefix}:1:throttle:read:ip:127.0.0.1"]
        # Another worker or instance sees the same counters: a fresh connection is refused too.
        caches["default"].close()
        assert_throttled(APIClient().get("/orders"))
    finally:
        for key in raw.keys(f"{prefix}:*"):
            raw.delete(key)
        raw.close()


PRODUCTION_RATES = "{'read': '1200/minute', 'write': '120/minute'}"


@pytest.mark.parametrize(
    "env_vars, expected",
    [
        ({}, f"django.core.cache.backends.locmem.LocMemCache {PRODUCTION_RATES}"),
        (
            {"REDIS_URL": "redis://127.0.0.1:6379/5"},
            f"webstore.cache.FailOpenRedisCache {PRODUCTION_RATES}",
        ),
        (
            {"DEBUG": "true"},
            "django.core.cache.backends.locmem.LocMemCache {'read': None, 'write': None}",
        ),
        (
            {"RATE_LIMIT_READ": "10/second", "RATE_LIMIT_WRITE": "off"},
            "django.core.cache.backends.locmem.LocMemCache {'read': '10/second', 'write': None}",
        ),
    ],
)
def test_cache_and_rates_follow_env(env_vars, expected):
    # Reading the settings module is enough (and much faster than django.setup()).
    code = (
        "from webstore import settings; "
        "print(settings.CACHES['default']['BACKEND'], settings.THROTTLE_RATES)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={
            "PATH": os.environ["PATH"],
            "DJANGO_SETTINGS_MODULE": "webstore.settings",
            "DEBUG": "false",
            "SECRET_KEY": "s",
            "WEBHOOK_SECRET": "w",
            **env_vars,
        },
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == expected
