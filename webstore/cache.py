"""The cache backend: Django's Redis cache, failing open while Redis is unreachable.

The cache holds only what may be lost (rate-limit counters); the database is the one hard
dependency (SPEC "When a dependency fails"). So while Redis is down or hung, a read answers a
miss and a write stores nothing: rate limits go unenforced instead of every request failing,
and apply again as soon as Redis answers. Socket timeouts (REDIS_TIMEOUT_SECONDS) bound what a
hung Redis costs one call; after a failure the backend leaves Redis alone for
RECHECK_SECONDS, so an outage costs each process about one timeout per second, not one per call.
Every call answered this way is counted (`webstore_cache_errors_total`) and logged at most once
per LOG_INTERVAL_SECONDS per process, with the number of failures since the previous line.
"""

import functools
import logging
import math
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

from webstore.observability.metrics import CACHE_ERRORS

logger = logging.getLogger("webstore.cache")

RECHECK_SECONDS = 1.0
LOG_INTERVAL_SECONDS = 5.0


class _Outage:
    """What this process knows of one Redis server's health, shared by every thread's backend
    (Django gives each thread its own cache instance)."""

    def __init__(self):
        self._lock = threading.Lock()
        self.recheck_at = 0.0
        self.down = False
        self._logged_at = -math.inf
        self._unlogged = 0
        self._last_error = ""

    def call_failed(self, operation: str, error: RedisError | None) -> None:
        """Counts a call answered without Redis: it failed (`error`), or was skipped meanwhile."""
        CACHE_ERRORS.labels(operation=operation).inc()
        now = time.monotonic()
        with self._lock:
            if error is not None:
                self.recheck_at = now + RECHECK_SECONDS
                self._last_error = f"{type(error).__name__}: {error}"
            self.down = True
            self._unlogged += 1
            if now - self._logged_at < LOG_INTERVAL_SECONDS:
                return
            self._logged_at, failures, self._unlogged = now, self._unlogged, 0
            last_error = self._last_error
        logger.warning(
            "cache_unreachable",
            extra={"operation": operation, "error": last_error, "failures": failures},
        )

    def call_succeeded(self) -> None:
        with self._lock:
            if not self.down:
                return
            self.down, self.recheck_at = False, 0.0
            self._logged_at, failures, self._unlogged = -math.inf, self._unlogged, 0
        logger.info("cache_reachable", extra={"unlogged_failures": failures})


_outages: dict[tuple[str, ...], _Outage] = {}
_outages_lock = threading.Lock()


def _fails_open(fallback):
    """Runs the cache call, or answers `fallback(*args, **kwargs)` when Redis cannot."""

    def decorate(method):
        operation = method.__name__

        @functools.wraps(method)
        def call(self, *args, **kwargs):
            outage = self._outage
            if time.monotonic() < outage.recheck_at:
                outage.call_failed(operation, None)
                return fallback(*args, **kwargs)
            try:
                result = method(self, *args, **kwargs)
            except RedisError as error:
                outage.call_failed(operation, error)
                return fallback(*args, **kwargs)
            if outage.down:
                outage.call_succeeded()
            return result

        return call

    return decorate


def _missing_counter(key, delta=1, version=None):
    # What incr() raises for a key that does not exist: without Redis, none does.
    raise ValueError(f"Key '{key}' not found.")


class FailOpenRedisCache(RedisCache):
    """Redis cache whose calls answer a miss (reads) or store nothing (writes) while Redis is
    unreachable, instead of raising."""

    def __init__(self, server, params):
        super().__init__(server, params)
        with _outages_lock:
            self._outage = _outages.setdefault(tuple(self._servers), _Outage())

    def ping(self) -> bool:
        """Asks Redis now, whatever the recent failures; True when it answers."""
        try:
            self._cache.get_client(write=True).ping()
        except RedisError as error:
            self._outage.call_failed("ping", error)
            return False
        self._outage.call_succeeded()
        return True

    @_fails_open(lambda key, default=None, version=None: default)
    def get(self, key, default=None, version=None):
        return super().get(key, default, version)

    @_fails_open(lambda keys, version=None: {})
    def get_many(self, keys, version=None):
        return super().get_many(keys, version)

    @_fails_open(lambda key, version=None: False)
    def has_key(self, key, version=None):
        return super().has_key(key, version)

    @_fails_open(lambda key, value, timeout=DEFAULT_TIMEOUT, version=None: False)
    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return super().add(key, value, timeout, version)

    @_fails_open(lambda key, value, timeout=DEFAULT_TIMEOUT, version=None: None)
    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return super().set(key, value, timeout, version)

    @_fails_open(lambda data, timeout=DEFAULT_TIMEOUT, version=None: list(data))
    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return super().set_many(data, timeout, version)

    @_fails_open(lambda key, timeout=DEFAULT_TIMEOUT, version=None: False)
    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return super().touch(key, timeout, version)

    @_fails_open(_missing_counter)
    def incr(self, key, delta=1, version=None):
        return super().incr(key, delta, version)

    @_fails_open(lambda key, version=None: False)
    def delete(self, key, version=None):
        return super().delete(key, version)

    @_fails_open(lambda keys, version=None: None)
    def delete_many(self, keys, version=None):
        return super().delete_many(keys, version)

    @_fails_open(lambda: False)
    def clear(self):
        return super().clear()
