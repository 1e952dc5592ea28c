"""Cursor pagination: bare JSON arrays, a `Link: rel="next"` header, keyset queries."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from webstore.api.fields import MAX_ID
from webstore.api.pagination import CURSOR_PATTERN, cursor_decode, cursor_encode

pytestmark = pytest.mark.django_db


def next_link(response) -> str | None:
    header = response.headers.get("Link")
    if header is None:
        return None
    match = re.fullmatch(r'<(http://testserver/[^>]+)>; rel="next"', header)
    assert match, header
    return match.group(1)


def test_following_next_links_walks_every_product_once(api_client, make_product):
    products = [make_product() for _ in range(7)]
    seen, url, pages = [], "/products?limit=3", 0
    while url:
        response = api_client.get(url)
        assert response.status_code == 200
        assert isinstance(response.json(), list)
        seen += [row["id"] for row in response.json()]
        url, pages = next_link(response), pages + 1
    assert seen == [product.pk for product in products]
    assert pages == 3


def test_last_page_has_no_link(api_client, make_product):
    make_product(), make_product()
    assert "Link" not in api_client.get("/products?limit=2").headers
    assert "Link" not in api_client.get("/products").headers


def test_skip_limit_pages_carry_a_cursor_to_the_row_after_them(api_client, make_product):
    products = [make_product() for _ in range(5)]
    response = api_client.get("/products?skip=1&limit=2")
    assert [row["id"] for row in response.json()] == [products[1].pk, products[2].pk]
    link = next_link(response)
    assert "skip=" not in link and "limit=2" in link
    assert [row["id"] for row in api_client.get(link).json()] == [products[3].pk, products[4].pk]


def test_filters_are_kept_in_the_next_link(api_client, make_product, make_order):
    product = make_product(stock=100)
    orders = [make_order(product) for _ in range(3)]
    other = make_product(stock=5)
    make_order(other)
    response = api_client.get(f"/orders?product_id={product.pk}&status=PENDING&limit=2")
    link = next_link(response)
    assert f"product_id={product.pk}" in link and "status=PENDING" in link
    rest = api_client.get(link)
    assert [row["id"] for row in rest.json()] == [orders[2].pk]
    assert "Link" not in rest.headers


def test_a_cursor_page_is_a_keyset_query_not_an_offset(api_client, make_product):
    products = [make_product() for _ in range(4)]
    with CaptureQueriesContext(connection) as queries:
        response = api_client.get(f"/products?limit=2&cursor={cursor_encode(products[1].pk)}")
    assert [row["id"] for row in response.json()] == [products[2].pk, products[3].pk]
    (select,) = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("SELECT")]
    assert "OFFSET" not in select.upper()
    # The bound value is a placeholder the compiled statement reuses, hence the parentheses.
    assert f'"id" > ({products[1].pk})' in select
    assert "ORDER BY" in select and "LIMIT 3" in select


@pytest.mark.parametrize(
    "query, message",
    [
        ("cursor=not-base64!", "Invalid cursor."),
        ("cursor=" + cursor_encode(MAX_ID + 1), "Invalid cursor."),
        ("cursor=eyJhZnRlciI6ICJ4In0", "Invalid cursor."),  # {"after": "x"}
        ("cursor=" + cursor_encode(1) + "=", "Invalid cursor."),  # padded
        ("cursor=AAAAAAAAAAB", "Invalid cursor."),  # padding bits set: not one we issue
        ("cursor=" + "A" * 201, "Ensure this field has no more than 200 characters."),
    ],
)
@pytest.mark.parametrize("path", ["/products", "/orders"])
def test_bad_cursors_are_400_naming_the_parameter(api_client, path, query, message):
    response = api_client.get(f"{path}?{query}")
    assert response.status_code == 400
    assert response.json() == {"detail": {"cursor": [message]}}


def test_skip_with_a_cursor_skips_rows_after_it(api_client, make_product):
    products = [make_product() for _ in range(5)]
    response = api_client.get(f"/products?cursor={cursor_encode(products[0].pk)}&skip=2&limit=2")
    assert response.status_code == 200
    assert [row["id"] for row in response.json()] == [products[3].pk, products[4].pk]
    assert "Link" not in response.headers


@pytest.mark.parametrize("row_id", [0, 1, 255, 256, 2**32, MAX_ID - 1, MAX_ID])
def test_every_id_has_a_cursor_of_the_published_pattern(row_id):
    cursor = cursor_encode(row_id)
    assert re.fullmatch(CURSOR_PATTERN, cursor)
    assert cursor_decode(cursor) == row_id


def test_every_string_of_the_published_pattern_is_a_cursor():
    # The pattern's only choices are its first and last characters' classes (the 9 between are
    # free 6-bit digits): every pairing decodes to an id in range, and no other character does.
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    for first in alphabet:
        for last in alphabet:
            for middle in ("A" * 9, "_" * 9, "Zm9vYmFyQ"):
                cursor = first + middle + last
                if re.fullmatch(CURSOR_PATTERN, cursor):
                    assert 0 <= cursor_decode(cursor) <= MAX_ID
                    assert cursor_encode(cursor_decode(cursor)) == cursor
                else:
                    with pytest.raises(ValueError):
                        cursor_decode(cursor)


def test_the_schema_documents_cursor_and_link(api_client):
    schema = api_client.get("/openapi.json").json()
    for path in ("/products", "/orders"):
        operation = schema["paths"][path]["get"]
        [cursor] = [p for p in operation["parameters"] if p["name"] == "cursor"]
        assert cursor["schema"] == {"type": "string", "pattern": CURSOR_PATTERN}
        assert "Link" in operation["responses"]["200"]["headers"]


def leading_index_columns(table: str) -> set[str]:
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    # A unique constraint is an index too (SQLite reports it only as unique).
    indexed = [c for c in constraints.values() if c["index"] or c["unique"] or c["primary_key"]]
    return {c["columns"][0] for c in indexed}


def test_order_filters_and_the_keyset_are_indexed():
    assert {"id", "status", "created_at"} <= leading_index_columns("orders_order")
    # ?product_id= matches the orders' items: by product, then joined back by order.
    assert {"product_id", "order_id"} <= leading_index_columns("orders_orderitem")
