"""Observability against a real gunicorn: metrics across workers, database outages, tracing."""

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests
from django.db import connection
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest
from prometheus_client.parser import text_string_to_metric_families

from reliability.servers import TcpProxy
from webstore.observability.tracing import tracing_configure
from webstore.tests.conftest import manage

METRICS_PORT, COLLECTOR_PORT, TRACED_PORT, OUTAGE_PORT = 8135, 8136, 8137, 8138
WAIT_LIMIT_SECONDS = 30


def migrated_sqlite(tmp_path, folder: str = "db") -> dict[str, str]:
    """A fresh, migrated SQLite file for a server of its own; returns the env pointing at it."""
    (tmp_path / folder).mkdir()
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / folder / 'db.sqlite3'}"}
    manage("migrate", "--noinput", "--verbosity", "0", env=env)
    return env


def samples(text: str) -> dict[tuple, float]:
    """Parses a Prometheus exposition into {(name, sorted labels): value}."""
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def test_metrics_add_up_across_gunicorn_workers(gunicorn, tmp_path):
    # --max-requests 2: workers retire after about two requests, so the requests below are
    # spread over several processes, most of them gone by the time /metrics is read: the totals
    # are right only if they are summed over every process's samples, live or dead.
    env = migrated_sqlite(tmp_path)
    server = gunicorn(
        port=METRICS_PORT, env={**env, "WEB_CONCURRENCY": "2"}, args=("--max-requests", "2")
    )

    product = requests.post(
        server.url("/products"), json={"sku": "M-1", "name": "Mug", "price": "4.50", "stock": 10}
    )
    orders = [
        requests.post(
            server.url("/orders"), json={"product_id": product.json()["id"], "quantity": 1}
        )
        for _ in range(3)
    ]
    refused = requests.post(
        server.url("/orders"), json={"product_id": product.json()["id"], "quantity": 99}
    )
    cancel = requests.delete(server.url(f"/orders/{orders[0].json()['id']}"))
    assert [
        product.status_code,
        *(o.status_code for o in orders),
        refused.status_code,
        cancel.status_code,
    ] == [201, 201, 201, 201, 409, 204]

    values = samples(requests.get(server.url("/metrics")).text)
    assert values[("webstore_orders_placed_total", ())] == 3
    assert values[("webstore_orders_canceled_total", ())] == 1
    assert values[("webstore_insufficient_stock_total", ())] == 1
    movements = {
        reason: values[("webstore_stock_movements_total", (("reason", reason),))]
        for reason in ("initial", "order_placed", "order_canceled")
    }
    assert movements == {"initial": 1, "order_placed": 3, "order_canceled": 1}
    order_posts = (("method", "POST"), ("route", "order-list"), ("status", "201"))
    assert values[("webstore_http_requests_total", order_posts)] == 3
    worker_pids = {
        path.stem.split("_")[-1]
        for path in (tmp_path / f"metrics-{METRICS_PORT}").glob("counter_*.db")
    }
    assert len(worker_pids) >= 2


class _Outage:
    """Makes the server's database unreachable and brings it back, per engine.

    PostgreSQL: the server talks to the real test database through a TCP proxy, which is
    stopped (connections cut, new ones refused) and restarted. SQLite: the server's database
    folder is moved away and back (new connections cannot open the file).
    """

    def __init__(self, tmp_path):
        self.tmp_path = tmp_path
        self.proxy = None

    def server_env(self) -> dict[str, str]:
        if connection.vendor == "postgresql":
            db = connection.settings_dict
            self.proxy = TcpProxy(
                target_port=int(db["PORT"] or 5432), target_host=db["HOST"] or "127.0.0.1"
            )
            return {
                "DATABASE_URL": f"postgres://{db['USER']}@127.0.0.1:{self.proxy.port}/{db['NAME']}",
                "DB_CONNECT_TIMEOUT": "2",
            }
        return {**migrated_sqlite(self.tmp_path), "CONN_MAX_AGE": "0"}

    def begin(self) -> None:
        if self.proxy:
            self.proxy.cut()
        else:
            (self.tmp_path / "db").rename(self.tmp_path / "db-away")

    def end(self) -> None:
        if self.proxy:
            self.proxy.resume()
        else:
            (self.tmp_path / "db-away").rename(self.tmp_path / "db")


@pytest.mark.django_db(transaction=True)
def test_database_outage_answers_503_and_recovers_without_restart(gunicorn, tmp_path):
    outage = _Outage(tmp_path)
    server = gunicorn(port=OUTAGE_PORT, env={**outage.server_env(), "WEB_CONCURRENCY": "1"})
    product = requests.post(
        server.url("/products"), json={"sku": "O-1", "name": "Oar", "price": "30", "stock": 5}
    ).json()
    assert requests.get(server.url("/health/ready")).json() == {"status": "ready"}

    outage.begin()
    for method, path, body in [
        ("POST", "/orders", {"product_id": product["id"], "quantity": 1}),
        ("GET", f"/products/{product['id']}", None),
        ("GET", "/orders", None),
    ]:
        response = requests.request(method, server.url(path), json=body, timeout=10)
        assert response.status_code == 503, (method, path, response.text)
        assert response.headers["Retry-After"] == "5"
        assert response.json() == {
            "detail": "Service temporarily unavailable",
            "request_id": response.headers["X-Request-ID"],
        }
    ready = requests.get(server.url("/health/ready"), timeout=10)
    assert ready.status_code == 503
    assert ready.json() == {"status": "unavailable", "reasons": {"database": "unreachable"}}
    live = requests.get(server.url("/health"))
    assert (live.status_code, live.json()) == (200, {"status": "healthy"})

    outage.end()
    order = requests.post(server.url("/orders"), json={"product_id": product["id"], "quantity": 1})
    assert order.status_code == 201
    assert requests.get(server.url(f"/products/{product['id']}")).json()["stock"] == 4
    assert requests.get(server.url("/health/ready")).json() == {"status": "ready"}


class _Collector(BaseHTTPRequestHandler):
    """A stand-in OTLP/HTTP collector that keeps every exported trace request."""

    received: list[ExportTraceServiceRequest] = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        if self.path == "/v1/traces":
            self.received.append(ExportTraceServiceRequest.FromString(body))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


def test_tracing_exports_request_spans_when_an_endpoint_is_set(gunicorn, tmp_path):
    collector = ThreadingHTTPServer(("127.0.0.1", COLLECTOR_PORT), _Collector)
    threading.Thread(target=collector.serve_forever, daemon=True).start()
    try:
        server = gunicorn(
            port=TRACED_PORT,
            env={
                **migrated_sqlite(tmp_path),
                "WEB_CONCURRENCY": "1",
                "OTEL_EXPORTER_OTLP_ENDPOINT": f"http://127.0.0.1:{COLLECTOR_PORT}",
                "OTEL_BSP_SCHEDULE_DELAY": "100",
            },
        )
        assert requests.get(server.url("/products")).status_code == 200
        deadline = time.monotonic() + WAIT_LIMIT_SECONDS
        while "GET ^products/?$" not in _server_span_names(_Collector.received):
            assert time.monotonic() < deadline, "no span reached the collector"
            time.sleep(0.1)
    finally:
        collector.shutdown()
        collector.server_close()
    resource_names = {
        attribute.value.string_value
        for request in _Collector.received
        for resource_spans in request.resource_spans
        for attribute in resource_spans.resource.attributes
        if attribute.key == "service.name"
    }
    assert resource_names == {"webstore"}
    assert {"GET ^health/?$", "GET ^products/?$"} <= _server_span_names(_Collector.received)


def _server_span_names(received: list[ExportTraceServiceRequest]) -> set[str]:
    return {
        span.name
        for request in received
        for resource_spans in request.resource_spans
        for scope_spans in resource_spans.scope_spans
        for span in scope_spans.spans
        if span.kind == span.SPAN_KIND_SERVER
    }


def test_tracing_is_off_without_an_endpoint(monkeypatch):
    monkeypatch.delenv("OTEL_EXPORTER_OTLP_ENDPOINT", raising=False)
    assert tracing_configure() is False
