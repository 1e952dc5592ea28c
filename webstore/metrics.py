"""Prometheus metrics: the request series and the business counters, in one place.

Correct under gunicorn with several workers: gunicorn.conf.py points PROMETHEUS_MULTIPROC_DIR
at a clean folder before any worker imports this module, so every process writes its samples
there and `/metrics` adds them up across live and dead workers. Without that variable (tests,
`manage.py`), samples live in this process only.

Business counters are incremented where the domain acts (the services), after the transaction
commits, so a rolled-back write is never counted. The payment webhook view labels each call
with one of `WEBHOOK_OUTCOMES`.
"""
import os

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest, multiprocess
from prometheus_client import REGISTRY as PROCESS_REGISTRY

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
ORDERS_PLACED = Counter("webstore_orders_placed_total", "Orders placed (stock reserved).")
ORDERS_CANCELED = Counter("webstore_orders_canceled_total", "Orders canceled (stock returned).")
INSUFFICIENT_STOCK = Counter(
    "webstore_insufficient_stock_total",
    "Stock decrements refused because the product had too few units.",
)
STOCK_MOVEMENTS = Counter(
    "webstore_stock_movements_total",
    "Rows written to the stock ledger, by reason.",
    ["reason"],
)
# succeeded / rejected / ignored: the recorded Payment outcome; the others recorded nothing.
WEBHOOK_OUTCOMES = (
    "succeeded",
    "rejected",
    "ignored",
    "duplicate",
    "invalid_signature",
    "invalid_request",
)
WEBHOOK_EVENTS = Counter(
    "webstore_webhook_events_total",
    "Payment webhook calls, by outcome: " + ", ".join(WEBHOOK_OUTCOMES) + ".",
    ["outcome"],
)


def metrics_exposition() -> bytes:
    """The text exposition of every metric, summed over all workers in multiprocess mode."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return generate_latest(registry)
    return generate_latest(PROCESS_REGISTRY)
