"""The database goes away under load: the API answers 503 quickly, then recovers by itself.

PostgreSQL: gunicorn reaches the database through a TCP proxy in this process, which is cut
(connections dropped, port refused) and then made to hang (connections accepted, never
answered: only the connect timeout ends the wait). The machine's PostgreSQL keeps running.
SQLite: another process holds the write lock past the busy timeout.
In both cases the same gunicorn, never restarted, serves again once the database is back, and
the ledger invariants hold.
"""

import json
import sqlite3
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from django.db import connection

from inventory.services import product_create
from orders.models import Order
from orders.services import OrderLine, order_place
from payments.signatures import webhook_signature
from reliability.invariants import assert_stock_invariants
from reliability.schema import OPENAPI, schema, webhook_secret
from reliability.servers import Gunicorn, TcpProxy, database_url

pytestmark = pytest.mark.django_db(transaction=True)

INITIAL_STOCK = 1000
CLIENTS = 4
# Seconds the server waits for the database before answering 503 (DB_CONNECT_TIMEOUT on
# PostgreSQL, SQLITE_BUSY_TIMEOUT on SQLite); clients give up far later, well below
# gunicorn's 30 s worker timeout: a hang shows up as a client timeout, failing the test.
DATABASE_WAIT_SECONDS = 2
CLIENT_TIMEOUT_SECONDS = 15
RECOVERY_LIMIT_SECONDS = 60


def assert_unavailable(response: requests.Response) -> None:
    """The contract's 503: the message, a retry hint, and the request id the header carries."""
    assert response.status_code == 503, response.content[:200]
    assert response.json() == {
        "detail": "Service temporarily unavailable",
        "request_id": response.headers["X-Request-ID"],
    }
    assert response.headers["X-Request-ID"]
    assert response.headers["Retry-After"] == "5"


def assert_health(url: str, *, ready: bool) -> None:
    """Liveness stays 200 whatever the database does; readiness follows the database."""
    health = requests.get(f"{url}/health", timeout=CLIENT_TIMEOUT_SECONDS)
    assert (health.status_code, health.json()) == (200, {"status": "healthy"})
    readiness = requests.get(f"{url}/health/ready", timeout=CLIENT_TIMEOUT_SECONDS)
    if ready:
        assert (readiness.status_code, readiness.json()) == (200, {"status": "ready"})
    else:
        assert (readiness.status_code, readiness.json()) == (
            503,
            {"status": "unavailable", "reasons": {"database": "unreachable"}},
        )


class PostgresOutage:
    def __init__(self):
        self.proxy = TcpProxy(target_port=int(connection.settings_dict["PORT"] or 5432))
        self.server = Gunicorn(
            database_url=database_url(port=self.proxy.port),
            env={"DB_CONNECT_TIMEOUT": str(DATABASE_WAIT_SECONDS)},
        )
        self.phases = [self.proxy.cut, self.proxy.hang]
        self.reads_fail = True

    def restore(self):
        self.proxy.resume()

    def close(self):
        self.server.stop()
        self.proxy.cut()


class SqliteOutage:
    def __init__(self):
        self.server = Gunicorn(
            database_url=database_url(), env={"SQLITE_BUSY_TIMEOUT": str(DATABASE_WAIT_SECONDS)}
        )
        self.locker = None
        self.phases = [self.hold_write_lock]
        # WAL: readers never wait for the writer, so reads keep working while writes cannot.
        self.reads_fail = False

    def hold_write_lock(self):
        self.locker = sqlite3.connect(connection.settings_dict["NAME"], isolation_level=None)
        self.locker.execute("BEGIN IMMEDIATE")

    def restore(self):
        self.locker.execute("ROLLBACK")
        self.locker.close()

    def close(self):
        self.server.stop()


@pytest.fixture(scope="module")
def outage(django_db_setup):
    outage = PostgresOutage() if connection.vendor == "postgresql" else SqliteOutage()
    yield outage
    outage.close()


def place_orders(
    url: str, product_id: int, rounds: int, clients: int = CLIENTS
) -> list[requests.Response]:
    """Orders from several clients at once; connection-level failures fail the test.

    While the database is up, one client at a time: concurrent SQLite writers may legitimately
    wait past the short busy timeout this test configures, which would make a 503 a matter of
    machine load rather than of the outage.
    """

    def client(_):
        with requests.Session() as http:
            return [
                http.post(
                    f"{url}/orders",
                    json={"product_id": product_id, "quantity": 1},
                    timeout=CLIENT_TIMEOUT_SECONDS,
                )
                for _ in range(rounds)
            ]

    with ThreadPoolExecutor(max_workers=clients) as pool:
        return [
            response for responses in pool.map(client, range(clients)) for response in responses
        ]


def every_operation(product_id: int, order_id: int) -> dict[tuple[str, str], tuple[str, dict]]:
    """One valid request per documented operation: (method, documented path) -> (path, kwargs)."""
    event = json.dumps(
        {"event": "payment.succeeded", "order_id": order_id, "amount": "3.00"}
    ).encode()
    return {
        ("GET", "/products"): ("/products", {}),
        ("POST", "/products"): ("/products", {"json": {"sku": "NEW", "name": "n", "price": 1}}),
        ("GET", "/products/{id}"): (f"/products/{product_id}", {}),
        ("PUT", "/products/{id}"): (f"/products/{product_id}", {"json": {"name": "Renamed"}}),
        ("PATCH", "/products/{id}"): (f"/products/{product_id}", {"json": {"name": "Renamed"}}),
        ("DELETE", "/products/{id}"): (f"/products/{product_id}", {}),
        ("POST", "/products/bulk"): (
            "/products/bulk",
            {"json": [{"sku": "BULK-NEW", "name": "n", "price": 1}]},
        ),
        ("PATCH", "/products/bulk"): (
            "/products/bulk",
            {"json": [{"id": product_id, "name": "Renamed"}]},
        ),
        ("GET", "/orders"): ("/orders", {}),
        ("POST", "/orders"): ("/orders", {"json": {"product_id": product_id, "quantity": 1}}),
        ("GET", "/orders/{id}"): (f"/orders/{order_id}", {}),
        ("PUT", "/orders/{id}"): (f"/orders/{order_id}", {"json": {"status": "PAID"}}),
        ("PATCH", "/orders/{id}"): (f"/orders/{order_id}", {"json": {"status": "PAID"}}),
        ("DELETE", "/orders/{id}"): (f"/orders/{order_id}", {}),
        ("POST", "/webhooks/payment"): (
            "/webhooks/payment",
            {
                "data": event,
                "headers": {
                    "Content-Type": "application/json",
                    "X-Event-Id": f"evt-outage-{order_id}",
                    "X-Webhook-Signature": webhook_signature(body=event, secret=webhook_secret()),
                },
            },
        ),
    }


def test_every_operation_answers_the_documented_503_during_an_outage(outage):
    server = outage.server
    product = product_create(sku="OUTAGE-2", name="Probe", price="3.00", stock=10)
    order = order_place(items=[OrderLine(product.pk, 1)])
    product.refresh_from_db()
    before = (list(Order.objects.values()), product.stock)
    operations = every_operation(product.pk, order.pk)
    assert set(operations) == {
        (method.upper(), path)
        for path, item in OPENAPI["paths"].items()
        for method, operation in item.items()
        if "responses" in operation
    }
    outage.phases[0]()
    try:
        for (method, path), (url_path, kwargs) in operations.items():
            response = requests.request(
                method, server.url + url_path, timeout=CLIENT_TIMEOUT_SECONDS, **kwargs
            )
            if method == "GET" and not outage.reads_fail:
                assert response.status_code == 200, (method, path, response.content[:200])
            else:
                assert_unavailable(response)
            schema[path][method].validate_response(response)
    finally:
        outage.restore()
    product.refresh_from_db()
    assert (list(Order.objects.values()), product.stock) == before


def test_outage_answers_503_and_recovers_without_restart(outage):
    server = outage.server
    product = product_create(sku="OUTAGE-1", name="Resilient", price="3.00", stock=INITIAL_STOCK)
    master, workers = server.process.pid, server.worker_pids()
    answered = place_orders(server.url, product.pk, rounds=6, clients=1)
    assert {r.status_code for r in answered} == {201}

    for phase in outage.phases:
        phase()
        during = place_orders(server.url, product.pk, rounds=2)
        # Every write fails cleanly, with the contract's body and a retry hint.
        for response in during:
            assert_unavailable(response)
        assert len({r.headers["X-Request-ID"] for r in during}) == len(during)
        answered += during
        # SQLite's outage is a held write lock: reads, and so readiness, still work.
        assert_health(server.url, ready=not outage.reads_fail)
        outage.restore()
        deadline = time.monotonic() + RECOVERY_LIMIT_SECONDS
        while (recovered := place_orders(server.url, product.pk, rounds=1, clients=1)) and any(
            r.status_code == 503 for r in recovered
        ):
            answered += recovered
            assert time.monotonic() < deadline, "the service did not recover"
        answered += recovered
        assert_health(server.url, ready=True)

    # Back to normal, served by the same processes: nothing was restarted.
    assert server.process.pid == master and server.worker_pids() == workers
    assert {r.status_code for r in place_orders(server.url, product.pk, rounds=4, clients=1)} == {
        201
    }
    assert (
        requests.get(
            f"{server.url}/products/{product.pk}", timeout=CLIENT_TIMEOUT_SECONDS
        ).status_code
        == 200
    )
    created = {r.json()["id"] for r in answered if r.status_code == 201}
    stored = set(Order.objects.filter(items__product=product).values_list("pk", flat=True))
    assert created <= stored
    assert_stock_invariants(product, initial_stock=INITIAL_STOCK)
