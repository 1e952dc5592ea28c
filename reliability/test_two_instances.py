"""Two gunicorn instances (2 workers each) on one database; 64 threads race on one product.

The database is whichever the suite runs on: one PostgreSQL database (row locks), or one SQLite
file shared by both instances (WAL + IMMEDIATE transactions). Clients place, cancel and pay
orders (signed payment webhooks), cancel the same orders through both instances at once, and
deliver the same webhook event id to both instances at once. Afterwards no unit is oversold, no
stock is restored twice, the ledger explains the stock exactly, each event id was processed
once, and each paid order has exactly one succeeded payment.
"""

import json
import random
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from threading import Barrier

import pytest
import requests

from inventory.services import product_create
from orders.models import Order
from orders.services import OrderLine, order_place
from payments.models import Payment
from payments.signatures import webhook_signature
from reliability.invariants import assert_stock_invariants
from reliability.schema import webhook_secret
from reliability.servers import Gunicorn, database_url

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 64
OPERATIONS_PER_THREAD = 6
INITIAL_STOCK = 60
PRICE = "10.00"
# Orders canceled by every thread at once, and orders whose payment event every pair of threads
# delivers to both instances at once.
SHARED_CANCELS = 8
DUPLICATE_EVENTS = THREADS // 2
TIMEOUT = 60


@pytest.fixture(scope="module")
def two_servers(django_db_setup):
    servers = [Gunicorn(database_url=database_url()) for _ in range(2)]
    yield servers
    for server in servers:
        server.stop()


def webhook(order_id: int, quantity: int, event_id: str) -> dict:
    """A signed `payment.succeeded` delivery for the order's exact total."""
    body = json.dumps(
        {
            "event": "payment.succeeded",
            "order_id": order_id,
            "amount": f"{quantity * 10}.00",
            "currency": "USD",
        }
    ).encode()
    secret = webhook_secret()
    return {
        "data": body,
        "headers": {
            "Content-Type": "application/json",
            "X-Event-Id": event_id,
            "X-Webhook-Signature": webhook_signature(body=body, secret=secret),
        },
    }


def test_two_instances_never_oversell_restock_twice_or_pay_twice(two_servers):
    product = product_create(sku="RACE-1", name="Contended", price=PRICE, stock=INITIAL_STOCK)
    shared = [order_place(items=[OrderLine(product.pk, 2)]).pk for _ in range(SHARED_CANCELS)]
    to_pay = [order_place(items=[OrderLine(product.pk, 1)]).pk for _ in range(DUPLICATE_EVENTS)]
    barrier = Barrier(THREADS)

    def client(index: int) -> list[tuple[str, int, dict | None]]:
        rng = random.Random(index)
        base = two_servers[index % 2].url
        results, mine = [], []
        with requests.Session() as http:

            def call(kind, method, path, **kwargs):
                response = http.request(method, f"{base}{path}", timeout=TIMEOUT, **kwargs)
                results.append(
                    (kind, response.status_code, response.json() if response.content else None)
                )
                return response

            barrier.wait()
            # Threads 2k and 2k+1 use different instances: the same event id hits both at once.
            order_id = to_pay[index // 2]
            call(
                "duplicate-event",
                "POST",
                "/webhooks/payment",
                **webhook(order_id, 1, f"evt-dup-{order_id}"),
            )
            call("cancel-shared", "DELETE", f"/orders/{shared[index % SHARED_CANCELS]}")
            for step in range(OPERATIONS_PER_THREAD):
                action = rng.choice(["place", "place", "place", "cancel", "pay"])
                if action == "place" or not mine:
                    quantity = rng.randint(1, 3)
                    response = call(
                        "place",
                        "POST",
                        "/orders",
                        json={"product_id": product.pk, "quantity": quantity},
                    )
                    if response.status_code == 201:
                        mine.append((response.json()["id"], quantity))
                elif action == "cancel":
                    order_id, _ = mine.pop(rng.randrange(len(mine)))
                    if rng.random() < 0.5:
                        call("cancel", "DELETE", f"/orders/{order_id}")
                    else:
                        call("cancel", "PUT", f"/orders/{order_id}", json={"status": "CANCELED"})
                else:
                    order_id, quantity = rng.choice(mine)
                    call(
                        "pay",
                        "POST",
                        "/webhooks/payment",
                        **webhook(order_id, quantity, f"evt-{index}-{step}"),
                    )
        return results

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        results = [r for thread in pool.map(client, range(THREADS)) for r in thread]

    statuses = Counter((kind, status) for kind, status, _ in results)
    allowed = {
        ("duplicate-event", 200),
        ("duplicate-event", 400),
        ("cancel-shared", 204),
        ("cancel-shared", 400),
        ("place", 201),
        ("place", 409),
        ("cancel", 204),
        ("cancel", 200),
        ("pay", 200),
        ("pay", 409),  # 409: the order is already paid or canceled
    }
    assert set(statuses) <= allowed, statuses
    # Each shared order was canceled exactly once, whichever instance won.
    assert statuses[("cancel-shared", 204)] == SHARED_CANCELS
    # Each duplicated event was processed by exactly one instance; the other saw it as a replay.
    assert statuses[("duplicate-event", 200)] == DUPLICATE_EVENTS
    assert all(
        body["detail"]["error"] == "Event already processed"
        for kind, status, body in results
        if kind == "duplicate-event" and status == 400
    )
    # Stock ran out: the race was real, and the losers got the exact 409 body.
    assert statuses[("place", 409)] > 0
    assert all(
        body["detail"]["error"] == "Insufficient stock"
        for kind, status, body in results
        if (kind, status) == ("place", 409)
    )
    created = {body["id"] for kind, status, body in results if status == 201}
    orders = Order.objects.filter(items__product=product)
    assert set(orders.values_list("pk", flat=True)) == created | set(shared) | set(to_pay)
    assert_stock_invariants(product, initial_stock=INITIAL_STOCK)

    # Every event id that was answered is recorded exactly once (the unique index forbids more).
    answered_events = Counter(
        (kind, status)
        for kind, status, _ in results
        if kind in ("pay", "duplicate-event") and status != 400
    )
    assert Payment.objects.count() == sum(answered_events.values())
    succeeded = Counter(
        Payment.objects.filter(outcome=Payment.Outcome.SUCCEEDED).values_list("order_id", flat=True)
    )
    assert set(succeeded.values()) == {1}
    # Each paid order has exactly one succeeded payment; nothing else paid an order here.
    paid = set(orders.filter(status=Order.Status.PAID).values_list("pk", flat=True))
    assert paid <= set(succeeded)
    assert set(to_pay) <= set(succeeded)
    assert set(orders.filter(pk__in=succeeded).values_list("status", flat=True)) <= {
        "PAID",
        "CANCELED",
    }
