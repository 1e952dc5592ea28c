"""Readiness checks: can this process serve traffic that needs the database?"""

import logging

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.migrations.loader import MigrationLoader

logger = logging.getLogger("webstore.observability.health")


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
        logger.warning("readiness_database_unreachable", extra={"error": str(exc)})
        return {"database": "unreachable"}
    try:
        # Every migration on disk against the recorded ones: a leaf-node plan would miss a gap
        # below an applied leaf (say 0001 unrecorded while 0002 is applied).
        loader = MigrationLoader(connection)
        unapplied = sorted(set(loader.graph.nodes) - set(loader.applied_migrations))
    except DatabaseError as exc:
        logger.warning("readiness_migrations_unreadable", extra={"error": str(exc)})
        return {"migrations": "migration state unreadable"}
    if unapplied:
        names = [f"{app_label}.{name}" for app_label, name in unapplied]
        return {"migrations": f"{len(names)} not applied: {', '.join(names[:5])}"}
    return {}
