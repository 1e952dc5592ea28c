"""The orders API runs a fixed number of SQL queries, whatever the page size or table size.

Counts include the SAVEPOINT/RELEASE pair each `transaction.atomic` block becomes inside the
test's own transaction (in production those blocks are a BEGIN/COMMIT the log does not show).
"""

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture(params=[1, 40], ids=["1-order", "40-orders"])
def orders(request, product, make_order):
    return [make_order(product) for _ in range(request.param)]


def test_order_create_queries(api_client, product, orders, django_assert_num_queries):
    # SAVEPOINT, SELECT product (FOR UPDATE), INSERT order, guarded UPDATE stock,
    # INSERT ledger row, RELEASE.
    with django_assert_num_queries(6):
        response = api_client.post(
            "/orders", {"product_id": product.pk, "quantity": 1}, format="json"
        )
    assert response.status_code == 201


def test_order_cancel_queries(api_client, orders, django_assert_num_queries):
    # SAVEPOINT, SELECT order (FOR UPDATE), SELECT product (FOR UPDATE), UPDATE stock,
    # INSERT ledger row, UPDATE order, RELEASE.
    with django_assert_num_queries(7):
        response = api_client.delete(f"/orders/{orders[-1].pk}")
    assert response.status_code == 204


@pytest.mark.parametrize(
    "query", ["limit=1", "limit=20", "limit=1000", "skip=10&limit=5", "status=PENDING&limit=20"]
)
def test_order_list_is_one_query(api_client, orders, query, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = api_client.get(f"/orders?{query}")
    assert response.status_code == 200


def test_order_detail_is_one_query(api_client, orders, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = api_client.get(f"/orders/{orders[0].pk}")
    assert response.status_code == 200
