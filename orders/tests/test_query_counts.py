"""The orders API runs a fixed number of SQL queries, whatever the page size or table size.

Placing or canceling an order costs a fixed number of queries plus one per item (its guarded
stock update); reads cost the same whatever the number of orders or items.

Counts include the SAVEPOINT/RELEASE pair each `transaction.atomic` block becomes inside the
test's own transaction (in production those blocks are a BEGIN/COMMIT the log does not show).
"""

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def shelf(make_product):
    return [make_product(stock=1000) for _ in range(5)]


@pytest.fixture(params=[1, 40], ids=["1-order", "40-orders"])
def orders(request, shelf, make_order):
    # Every other order is a cart of all five products: item counts must not change the cost.
    return [
        make_order(items=[(p, 1) for p in shelf]) if n % 2 else make_order(shelf[0])
        for n in range(request.param)
    ]


def cart(products) -> dict:
    return {"items": [{"product_id": p.pk, "quantity": 1} for p in reversed(products)]}


@pytest.mark.parametrize("items", [1, 5], ids=["1-item", "5-items"])
def test_order_create_queries(api_client, shelf, orders, items, django_assert_num_queries):
    # SAVEPOINT, SELECT the products (FOR UPDATE, one query), INSERT order, INSERT its items,
    # one guarded UPDATE of stock per item, INSERT the ledger rows, RELEASE.
    with django_assert_num_queries(6 + items):
        response = api_client.post("/orders", cart(shelf[:items]), format="json")
    assert response.status_code == 201
    assert len(response.json()["items"]) == items


def test_order_create_in_the_original_form_queries(
    api_client, shelf, orders, django_assert_num_queries
):
    with django_assert_num_queries(7):
        response = api_client.post(
            "/orders", {"product_id": shelf[0].pk, "quantity": 1}, format="json"
        )
    assert response.status_code == 201


@pytest.mark.parametrize("items", [1, 5], ids=["1-item", "5-items"])
def test_order_cancel_queries(api_client, shelf, make_order, items, django_assert_num_queries):
    order = make_order(items=[(p, 1) for p in shelf[:items]])
    # SAVEPOINT, SELECT order (FOR UPDATE), SELECT its items and products (FOR UPDATE), one
    # UPDATE of stock per item, INSERT the ledger rows, UPDATE order, RELEASE.
    with django_assert_num_queries(6 + items):
        response = api_client.delete(f"/orders/{order.pk}")
    assert response.status_code == 204


@pytest.mark.parametrize(
    "query", ["limit=1", "limit=20", "limit=1000", "skip=10&limit=5", "status=PENDING&limit=20"]
)
def test_order_list_is_two_queries(api_client, orders, query, django_assert_num_queries):
    response = api_client.get(f"/orders?{query}")
    # The orders, then the items of all of them; an empty page needs no items.
    with django_assert_num_queries(2 if response.json() else 1):
        response = api_client.get(f"/orders?{query}")
    assert response.status_code == 200


def test_order_list_filtered_by_product_is_two_queries(
    api_client, shelf, orders, django_assert_num_queries
):
    with django_assert_num_queries(2):
        response = api_client.get(f"/orders?product_id={shelf[0].pk}&limit=1000")
    assert len(response.json()) == len(orders)


@pytest.mark.parametrize("which", [0, -1], ids=["first", "last"])
def test_order_detail_is_two_queries(api_client, orders, which, django_assert_num_queries):
    with django_assert_num_queries(2):
        response = api_client.get(f"/orders/{orders[which].pk}")
    assert response.status_code == 200
