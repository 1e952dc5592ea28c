"""Fixtures for the API-access tests: keys, and the settings that switch protections on."""
import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from webstore.services import api_key_create


@pytest.fixture
def require_api_key(settings):
    """Production behaviour: writes need a key."""
    settings.REQUIRE_API_KEY = True


@pytest.fixture
def api_key_secret(db) -> str:
    _, secret = api_key_create(name="test client")
    return secret


@pytest.fixture
def keyed_client(api_key_secret) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {api_key_secret}")
    return client


@pytest.fixture
def clean_cache():
    """Rate-limit counters live in the cache; each test starts and ends with none."""
    cache.clear()
    yield cache
    cache.clear()
