"""Races with real threads against the real database (each thread has its own connection)."""

from collections import Counter

import pytest

from inventory.models import Product, StockMovement

pytestmark = pytest.mark.django_db(transaction=True)


def test_ten_parallel_creates_of_one_sku_make_one_product(run_together):
    body = {"sku": "RACE-1", "name": "Raced", "price": "5.00", "stock": 4}

    def create(client):
        response = client.post("/products", body, format="json")
        return response.status_code, response.json()

    results = run_together([create] * 10)

    assert Counter(status for status, _ in results) == {201: 1, 409: 9}
    conflicts = [payload for status, payload in results if status == 409]
    assert conflicts == [{"detail": "Product with SKU 'RACE-1' already exists"}] * 9
    product = Product.objects.get(sku="RACE-1")
    assert product.stock == 4
    assert list(StockMovement.objects.filter(product=product).values_list("delta", flat=True)) == [
        4
    ]
