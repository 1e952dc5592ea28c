"""Races with real threads against the real database (each thread has its own connection).

Run on SQLite (IMMEDIATE transactions serialize writers) and on PostgreSQL (row locks).
"""

import random
from collections import Counter

import pytest
from django.db.models import Sum

from inventory.models import Product, StockMovement
from orders.models import Order

pytestmark = pytest.mark.django_db(transaction=True)


def assert_ledger_matches(product: Product):
    product.refresh_from_db()
    ledger = StockMovement.objects.filter(product=product).aggregate(total=Sum("delta"))["total"]
    assert product.stock == ledger


def test_forty_parallel_orders_on_stock_ten_sell_exactly_ten(run_together, make_product):
    product = make_product(stock=10)
    calls = [
        lambda client: client.post("/orders", {"product_id": product.pk, "quantity": 1}).status_code
    ] * 40
    statuses = Counter(run_together(calls))
    assert statuses == {201: 10, 409: 30}
    product.refresh_from_db()
    assert product.stock == 0
    assert Order.objects.filter(items__product=product).count() == 10
    assert_ledger_matches(product)


def test_ten_parallel_cancels_restore_stock_once(run_together, make_product, make_order):
    product = make_product(stock=10)
    order = make_order(product, quantity=4)
    calls = [lambda client: client.delete(f"/orders/{order.pk}").status_code] * 10
    statuses = Counter(run_together(calls))
    assert statuses == {204: 1, 400: 9}
    product.refresh_from_db()
    assert product.stock == 10
    assert StockMovement.objects.filter(order_id=order.pk, reason="order_canceled").count() == 1
    assert_ledger_matches(product)


def test_mixed_run_keeps_the_ledger_invariant(run_together, make_product, make_order):
    product = make_product(stock=30)
    orders = [make_order(product, quantity=2) for _ in range(5)]
    rng = random.Random(7)

    def place(client):
        return client.post("/orders", {"product_id": product.pk, "quantity": rng.randint(1, 3)})

    def cancel(order_id):
        return lambda client: client.delete(f"/orders/{order_id}")

    def pay_then_cancel(order_id):
        return lambda client: client.put(f"/orders/{order_id}", {"status": "CANCELED"})

    def restock(client):
        return client.patch(f"/products/{product.pk}", {"name": "Renamed"})

    calls = [place] * 20 + [cancel(o.pk) for o in orders] + [pay_then_cancel(o.pk) for o in orders]
    calls += [restock] * 3
    rng.shuffle(calls)
    responses = run_together(calls)
    assert all(response.status_code < 500 for response in responses)
    assert_ledger_matches(product)
    product.refresh_from_db()
    live_units = sum(
        o.quantity for o in Order.objects.filter(items__product=product).exclude(status="CANCELED")
    )
    assert product.stock + live_units == 30
    for order in orders:
        assert StockMovement.objects.filter(order_id=order.pk, reason="order_canceled").count() == 1
