"""Idempotency keys under real concurrency: threads with their own connections, real commits.

Runs on SQLite (IMMEDIATE transactions) and PostgreSQL (row locks) alike.
"""

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from rest_framework.test import APIClient

from inventory.models import Product
from orders.models import Order
from webstore.idempotency.models import IdempotencyRecord

pytestmark = pytest.mark.django_db(transaction=True)


def in_thread(call, wrapper=None):
    def run():
        try:
            if wrapper is None:
                return call(APIClient())
            with connection.execute_wrapper(wrapper):
                return call(APIClient())
        finally:
            connection.close()

    return run


def test_a_retry_while_the_first_request_runs_is_409_then_replays(make_product):
    product = make_product(stock=10)
    payload = {"product_id": product.pk, "quantity": 2}
    inside, release = threading.Event(), threading.Event()

    def hold_first_order(execute, sql, params, many, context):
        # Pauses the first request inside its order transaction, after it claimed the key.
        result = execute(sql, params, many, context)
        if sql.startswith(f'INSERT INTO "{Order._meta.db_table}"'):
            inside.set()
            assert release.wait(timeout=30)
        return result

    try:
        with ThreadPoolExecutor(max_workers=2) as pool:
            first = pool.submit(
                in_thread(
                    lambda c: c.post("/orders", payload, HTTP_IDEMPOTENCY_KEY="pay-1"),
                    wrapper=hold_first_order,
                )
            )
            assert inside.wait(timeout=30)
            retry = pool.submit(
                in_thread(lambda c: c.post("/orders", payload, HTTP_IDEMPOTENCY_KEY="pay-1"))
            ).result(timeout=30)
            assert retry.status_code == 409
            assert retry.json() == {
                "detail": "A request with this Idempotency-Key is still being processed; retry later."
            }
            release.set()
            first = first.result(timeout=30)
    finally:
        release.set()

    assert first.status_code == 201
    replay = APIClient().post("/orders", payload, HTTP_IDEMPOTENCY_KEY="pay-1")
    assert replay.status_code == 201
    assert replay.json() == first.json()
    assert replay["Idempotent-Replayed"] == "true"
    assert Order.objects.count() == 1
    product.refresh_from_db()
    assert product.stock == 8


@pytest.mark.parametrize("path", ["/orders", "/products"])
def test_simultaneous_requests_with_one_key_execute_once(make_product, path):
    product = make_product(stock=100)
    payload = (
        {"product_id": product.pk, "quantity": 1}
        if path == "/orders"
        else {"sku": "RACE-1", "name": "Race", "price": 3, "stock": 1}
    )
    barrier = threading.Barrier(12)

    def call(client):
        barrier.wait()
        return client.post(path, payload, HTTP_IDEMPOTENCY_KEY="race")

    with ThreadPoolExecutor(max_workers=12) as pool:
        responses = list(pool.map(lambda f: f(), [in_thread(call)] * 12))

    statuses = Counter(response.status_code for response in responses)
    assert set(statuses) <= {201, 409}, statuses
    assert statuses[201] >= 1
    created = [response.json() for response in responses if response.status_code == 201]
    assert all(body == created[0] for body in created)
    if path == "/orders":
        assert Order.objects.count() == 1
        product.refresh_from_db()
        assert product.stock == 99
    else:
        assert Product.objects.filter(sku="RACE-1").count() == 1
    record = IdempotencyRecord.objects.get()
    assert record.status_code == 201
