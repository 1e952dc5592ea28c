"""The products API runs a fixed number of SQL queries, whatever the page size or table size.

Counts include the SAVEPOINT/RELEASE pair each `transaction.atomic` block becomes inside the
test's own transaction (in production those blocks are a BEGIN/COMMIT the log does not show).
"""

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture(params=[1, 40], ids=["1-row", "40-rows"])
def catalog(request, make_product):
    return [make_product() for _ in range(request.param)]


@pytest.mark.parametrize("limit", [1, 20, 1000])
def test_product_list_is_one_query(api_client, catalog, limit, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = api_client.get(f"/products?limit={limit}")
    assert response.status_code == 200
    assert len(response.json()) == min(limit, len(catalog))


@pytest.mark.parametrize(
    "query",
    ["skip=10&limit=5", "search=widget&limit=20", "in_stock=true&limit=20", "sku=SKU-00001"],
)
def test_filtered_and_skipped_product_list_is_one_query(
    api_client, catalog, query, django_assert_num_queries
):
    with django_assert_num_queries(1):
        response = api_client.get(f"/products?{query}")
    assert response.status_code == 200


def test_product_detail_is_one_query(api_client, catalog, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = api_client.get(f"/products/{catalog[-1].pk}")
    assert response.status_code == 200
    assert response.json()["id"] == catalog[-1].pk


def test_product_create_queries(api_client, catalog, django_assert_num_queries):
    # SAVEPOINT, SAVEPOINT, INSERT product, RELEASE, INSERT ledger row, RELEASE (the test's own
    # transaction turns BEGIN/COMMIT into the outer SAVEPOINT/RELEASE). The unique index, not
    # a query, checks the SKU.
    with django_assert_num_queries(6):
        response = api_client.post(
            "/products",
            {"sku": "QC-1", "name": "Counted", "price": "5.00", "stock": 3},
            format="json",
        )
    assert response.status_code == 201


@pytest.mark.parametrize("items", [1, 5])
def test_bulk_update_locks_once_and_reads_no_row_again(
    api_client, make_product, items, django_assert_num_queries
):
    products = [make_product() for _ in range(items)]
    body = [{"id": product.pk, "name": f"Renamed {n}"} for n, product in enumerate(products)]
    # SAVEPOINT, SELECT products (FOR UPDATE, by id), RELEASE; per item SAVEPOINT, UPDATE,
    # RELEASE: each product is updated from the one locked read.
    with django_assert_num_queries(3 + 3 * items):
        response = api_client.patch("/products/bulk", body, format="json")
    assert response.status_code == 200
    assert [row["name"] for row in response.json()] == [item["name"] for item in body]
