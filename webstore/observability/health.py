"""Readiness checks: can this process serve traffic that needs the database, and which
dependencies it serves without (degraded)?"""

import functools
import logging

from django.core.cache import caches
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

from webstore.cache import FailOpenRedisCache
from webstore.observability.metrics import DB_CONNECTION_FAILURES

logger = logging.getLogger("webstore.observability.health")


@functools.cache
def migrations_on_disk() -> frozenset[tuple[str, str]]:
    """Every migration this code ships, as (app label, name); read once per process.

    The files cannot change under a running process, and reading them (MigrationLoader imports,
    even reloads, every migration module) is what made readiness cost milliseconds per call.
    """
    return frozenset(MigrationLoader(None, ignore_no_migrations=True).graph.nodes)


def readiness_problems() -> dict[str, str]:
    """Returns what keeps the service from being ready, by check name; empty when ready.

    Checks that the database answers a query and that every migration is applied. The causes
    go to the log, not to the (public) answer.
    """
    connection = connections[DEFAULT_DB_ALIAS]
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as exc:
        DB_CONNECTION_FAILURES.labels(source="readiness").inc()
        logger.warning("readiness_database_unreachable", extra={"error": str(exc)})
        return {"database": "unreachable"}
    try:
        # Every migration on disk against the recorded ones, read on every call so a missing
        # one shows at any time: a leaf-node plan would miss a gap below an applied leaf (say
        # 0001 unrecorded while 0002 is applied).
        applied = MigrationRecorder(connection).applied_migrations()
        unapplied = sorted(migrations_on_disk() - applied.keys())
    except DatabaseError as exc:
        logger.warning("readiness_migrations_unreadable", extra={"error": str(exc)})
        return {"migrations": "migration state unreadable"}
    if unapplied:
        names = [f"{app_label}.{name}" for app_label, name in unapplied]
        return {"migrations": f"{len(names)} not applied: {', '.join(names[:5])}"}
    return {}


def degraded_dependencies() -> dict[str, str]:
    """Returns the dependencies that are down but not needed to serve, by name; empty if none.

    The cache (Redis) holds only rate-limit counters: while it is unreachable the API serves
    without limits (webstore/cache.py), so readiness reports it without failing.
    """
    cache = caches["default"]
    if isinstance(cache, FailOpenRedisCache) and not cache.ping():
        return {"cache": "unreachable"}
    return {}
