"""Fixtures for the black-box scripts when pytest collects them: a live server to talk to."""

import pytest
from blackbox import Api
from django.conf import settings


@pytest.fixture
def api(live_server) -> Api:
    """An `Api` bound to pytest-django's live server (real HTTP, the test database).

    The scripts read BASE_URL and the secrets from the environment when run by hand; here the
    server is the test one and the secret is the one the test settings verify with.
    """
    return Api(base_url=live_server.url, webhook_secret=settings.WEBHOOK_SECRET.split(",")[0])
