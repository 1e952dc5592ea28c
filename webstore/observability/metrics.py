"""Prometheus: the HTTP request series, failed cache calls, and the exposition of every metric.

Correct under gunicorn with several workers: gunicorn.conf.py points PROMETHEUS_MULTIPROC_DIR
at a clean folder before any worker imports this module, so every process writes its samples
there and `/metrics` adds them up across live and dead workers. Without that variable (tests,
`manage.py`), samples live in this process only.

Each app's business counters live in its own `metrics.py`; the same multiprocess folder holds
them, so they appear here too. Labelled series that alerts and dashboards read are created at
zero on import, so they exist (and `rate()` works) before the first event.
"""

import os

from prometheus_client import REGISTRY as PROCESS_REGISTRY
from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest, multiprocess

HTTP_REQUESTS = Counter(
    "webstore_http_requests_total",
    "HTTP requests answered, by method, route and status code.",
    ["method", "route", "status"],
)
HTTP_REQUEST_DURATION = Histogram(
    "webstore_http_request_duration_seconds",
    "Time from the request entering Django to its response, by method and route.",
    ["method", "route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
CACHE_ERRORS = Counter(
    "webstore_cache_errors_total",
    "Cache calls answered without the cache (a miss, nothing stored) because it was unreachable: "
    "calls that failed, and calls skipped in the second after a failure; by operation.",
    ["operation"],
)
# The service reuses connections (CONN_MAX_AGE) rather than pooling them: what it can tell is how
# often it opens one and how often the database could not be reached.
DB_CONNECTIONS = Counter(
    "webstore_db_connections_total",
    "Database connections opened (Django's connection_created signal).",
)
DB_FAILURE_SOURCES = ("api", "readiness")
DB_CONNECTION_FAILURES = Counter(
    "webstore_db_connection_failures_total",
    "Database calls that failed because the database was unreachable or timed out "
    "(OperationalError, InterfaceError), by where: api (answered 503), readiness (/health/ready).",
    ["source"],
)
for _source in DB_FAILURE_SOURCES:
    DB_CONNECTION_FAILURES.labels(source=_source)


def database_connection_opened(sender, connection, **kwargs) -> None:
    """Receiver of `connection_created`: counts every new database connection."""
    DB_CONNECTIONS.inc()


def metrics_exposition() -> bytes:
    """The text exposition of every metric, summed over all workers in multiprocess mode."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return generate_latest(registry)
    return generate_latest(PROCESS_REGISTRY)
