"""Overlapping carts placed and canceled at once, against a real server and database.

A production-configured gunicorn (2 workers × 4 threads) serves 16 client threads: 64 random
carts of 2–4 of 6 shared products, items in random order (fixed seed), then every accepted
order canceled twice over, in parallel. Run on SQLite (IMMEDIATE transactions serialize
writers) and PostgreSQL (row locks in ascending id order, so overlapping carts cannot deadlock).
The figures (answers by status, units accepted, time) are printed for the record (`-s`).
"""

import random
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest
import requests
from django.db import connection
from django.db.models import Sum

from inventory.models import Product, StockMovement
from inventory.services import product_create
from orders.models import Order, OrderItem
from reliability.servers import Gunicorn, database_url

pytestmark = [pytest.mark.reliability, pytest.mark.django_db(transaction=True)]

THREADS = 16
CARTS = 64
SEED_STOCK = [30, 25, 20, 40, 15, 35]
RANDOM_SEED = 14


@pytest.fixture(scope="module")
def server(django_db_setup):
    gunicorn = Gunicorn(database_url=database_url(), workers=2, env={"GUNICORN_THREADS": "4"})
    yield gunicorn
    gunicorn.stop()


def random_carts(product_ids: list[int]) -> list[list[dict]]:
    rng = random.Random(RANDOM_SEED)
    return [
        [
            {"product_id": product_id, "quantity": rng.randint(1, 3)}
            for product_id in rng.sample(product_ids, k=rng.randint(2, 4))
        ]
        for _ in range(CARTS)
    ]


def run_in_threads(call, arguments: list) -> tuple[list, float]:
    """Runs `call(session, argument)` for every argument on THREADS threads; answers, seconds."""
    sessions = [requests.Session() for _ in range(THREADS)]
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        answers = list(
            pool.map(lambda pair: call(sessions[pair[0] % THREADS], pair[1]), enumerate(arguments))
        )
    return answers, time.monotonic() - started


def assert_ledger_invariant(products: list[Product]) -> None:
    for product in products:
        product.refresh_from_db()
        ledger = StockMovement.objects.filter(product=product).aggregate(total=Sum("delta"))
        assert product.stock == ledger["total"]


def test_overlapping_carts_never_oversell_deadlock_or_restock_twice(server):
    products = [
        product_create(sku=f"RACE-{n}", name=f"Race {n}", price=Decimal("3.50"), stock=stock)
        for n, stock in enumerate(SEED_STOCK)
    ]
    carts = random_carts([product.pk for product in products])

    def place(session, items):
        response = session.post(f"{server.url}/orders", json={"items": items}, timeout=60)
        return items, response.status_code, response.json()

    placed, place_seconds = run_in_threads(place, carts)

    statuses = Counter(status for _, status, _ in placed)
    assert set(statuses) <= {201, 409}, statuses
    accepted_units = Counter()
    accepted = []
    for items, status, body in placed:
        asked = {item["product_id"]: item["quantity"] for item in items}
        if status == 201:
            assert [(i["product_id"], i["quantity"]) for i in body["items"]] == [
                (item["product_id"], item["quantity"]) for item in items
            ]
            accepted.append(body["id"])
            accepted_units.update(asked)
        else:
            short = body["detail"]["product_id"]
            assert body == {
                "detail": {
                    "error": "Insufficient stock",
                    "requested": asked[short],
                    "available": body["detail"]["available"],
                    "product_id": short,
                }
            }
            assert 0 <= body["detail"]["available"] < asked[short]
    assert statuses[201] > 0 and statuses[409] > 0, "the seed should give both outcomes"

    assert Order.objects.count() == len(accepted)
    for product, seed in zip(products, SEED_STOCK, strict=True):
        product.refresh_from_db()
        assert product.stock == seed - accepted_units[product.pk]
        assert product.stock >= 0
    assert_ledger_invariant(products)

    def cancel(session, order_id):
        return order_id, session.delete(f"{server.url}/orders/{order_id}", timeout=60).status_code

    # Every order is canceled twice at once: exactly one of the two restocks.
    canceled, cancel_seconds = run_in_threads(cancel, accepted + accepted)

    assert Counter(status for _, status in canceled) == {204: len(accepted), 400: len(accepted)}
    for order_id in accepted:
        assert sorted(status for pk, status in canceled if pk == order_id) == [204, 400]
    for product, seed in zip(products, SEED_STOCK, strict=True):
        product.refresh_from_db()
        assert product.stock == seed
    assert_ledger_invariant(products)
    restocks = Counter(
        StockMovement.objects.filter(reason="order_canceled").values_list("order_id", "product_id")
    )
    items = Counter(OrderItem.objects.values_list("order_id", "product_id"))
    assert restocks == items
    assert "deadlock" not in server.log_text().lower()

    print(
        f"\n[{connection.vendor}] place: {dict(statuses)} in {place_seconds:.2f} s, "
        f"{sum(accepted_units.values())} units accepted "
        f"({dict(sorted(accepted_units.items()))}); "
        f"cancel ×2: {dict(Counter(s for _, s in canceled))} in {cancel_seconds:.2f} s"
    )
