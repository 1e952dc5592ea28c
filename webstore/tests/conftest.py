"""Fixtures for webstore tests: real servers (gunicorn), JSON logs, API keys."""

import os
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import requests
from django.core.cache import cache
from rest_framework.test import APIClient

from webstore import cache as cache_module
from webstore.access.services import api_key_create

PROJECT_DIR = Path(__file__).resolve().parents[2]
STARTUP_LIMIT_SECONDS = 60


class Server:
    """A gunicorn started from the project's gunicorn.conf.py, addressed by `url(path)`."""

    def __init__(self, port: int, process: subprocess.Popen):
        self.port = port
        self.process = process

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"


@pytest.fixture
def gunicorn(tmp_path):
    """Starts gunicorn servers (env overrides, extra args) and stops them after the test."""
    started: list[Server] = []

    def start(*, port: int, env: dict[str, str], args: tuple[str, ...] = ()) -> Server:
        server_env = {
            **os.environ,
            "BIND": f"127.0.0.1:{port}",
            "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / f"metrics-{port}"),
            **env,
        }
        server_env.pop("PORT", None)
        log = open(tmp_path / f"gunicorn-{port}.log", "w")  # noqa: SIM115 (the server's lifetime)
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py", *args],
            cwd=PROJECT_DIR,
            env=server_env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        server = Server(port, process)
        started.append(server)
        deadline = time.monotonic() + STARTUP_LIMIT_SECONDS
        while True:
            assert process.poll() is None, (tmp_path / f"gunicorn-{port}.log").read_text()
            try:
                if requests.get(server.url("/health"), timeout=5).status_code == 200:
                    return server
            except requests.ConnectionError:
                pass
            assert time.monotonic() < deadline, "gunicorn did not come up"
            time.sleep(0.1)

    yield start
    for server in started:
        server.process.terminate()
        server.process.wait(timeout=30)


def manage(*args: str, env: dict[str, str]) -> None:
    """Runs a manage.py command in a subprocess with the given environment overrides."""
    subprocess.run(
        [sys.executable, "manage.py", *args], cwd=PROJECT_DIR, env={**os.environ, **env}, check=True
    )


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


def closed_port() -> int:
    """A loopback port nobody listens on: connecting is refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def redis_cache(settings, monkeypatch):
    """Makes the default cache the project's Redis backend at a location; call with the URL."""

    def use(location: str) -> None:
        # A fresh outage record: no failure or log time carried over from another test.
        monkeypatch.setattr(cache_module, "_outages", {})
        settings.CACHES = {
            "default": {
                "BACKEND": "webstore.cache.FailOpenRedisCache",
                "LOCATION": location,
                "KEY_PREFIX": f"test-{uuid.uuid4().hex[:8]}",
                "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.25},
            }
        }

    return use


@pytest.fixture
def unreachable_cache(redis_cache):
    """The default cache is Redis at a port nobody listens on (a cache outage)."""
    redis_cache(f"redis://127.0.0.1:{closed_port()}/0")
