"""Optimistic concurrency on products: ETag on reads and updates, If-Match → 412 when stale."""

from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from threading import Barrier

import pytest
from django.db import connection
from rest_framework.test import APIClient

from inventory.models import StockMovement

pytestmark = pytest.mark.django_db

STALE = "Product with ID {} has changed since it was read (If-Match does not match its ETag); read it again and retry."


def etag(api_client, product) -> str:
    return api_client.get(f"/products/{product.pk}")["ETag"]


def test_get_returns_a_strong_etag_that_tracks_the_representation(api_client, product):
    first = api_client.get(f"/products/{product.pk}")
    assert first.status_code == 200
    tag = first["ETag"]
    assert tag.startswith('"') and tag.endswith('"') and len(tag) == 34
    assert api_client.get(f"/products/{product.pk}")["ETag"] == tag
    api_client.patch(f"/products/{product.pk}", {"stock": 7})
    assert api_client.get(f"/products/{product.pk}")["ETag"] != tag


@pytest.mark.parametrize("method", ["put", "patch"])
def test_update_with_the_current_etag_succeeds_and_returns_the_new_one(api_client, product, method):
    tag = etag(api_client, product)
    response = getattr(api_client, method)(
        f"/products/{product.pk}", {"price": "899.99"}, HTTP_IF_MATCH=tag
    )
    assert response.status_code == 200
    assert response.json()["price"] == 899.99
    assert response["ETag"] != tag
    assert response["ETag"] == etag(api_client, product)


@pytest.mark.parametrize("method", ["put", "patch"])
def test_update_with_a_stale_etag_is_412_and_changes_nothing(api_client, product, method):
    stale = etag(api_client, product)
    api_client.patch(f"/products/{product.pk}", {"name": "Someone else"})
    response = getattr(api_client, method)(
        f"/products/{product.pk}", {"name": "Mine", "stock": 1}, HTTP_IF_MATCH=stale
    )
    assert response.status_code == 412
    assert response.json() == {"detail": STALE.format(product.pk)}
    product.refresh_from_db()
    assert (product.name, product.stock) == ("Someone else", 50)
    assert not StockMovement.objects.filter(reason="adjustment").exists()


@pytest.mark.parametrize(
    "header, expected",
    [
        ("*", 200),
        ('"nope", {current}', 200),
        ("W/{current}", 412),  # weak tags never match (strong comparison)
        ("{bare}", 412),  # unquoted is not an entity tag
        ("", 412),
    ],
)
def test_if_match_forms(api_client, product, header, expected):
    current = etag(api_client, product)
    value = header.format(current=current, bare=current.strip('"'))
    response = api_client.patch(f"/products/{product.pk}", {"name": "X"}, HTTP_IF_MATCH=value)
    assert response.status_code == expected


def test_without_if_match_updates_are_unconditional(api_client, product):
    assert api_client.patch(f"/products/{product.pk}", {"name": "X"}).status_code == 200


def test_if_match_on_a_missing_product_is_404(api_client):
    response = api_client.patch("/products/999", {"name": "X"}, HTTP_IF_MATCH="*")
    assert response.status_code == 404


def test_body_shape_is_unchanged(api_client, product):
    assert set(api_client.get(f"/products/{product.pk}").json()) == {
        "id",
        "sku",
        "name",
        "price",
        "stock",
    }


def test_the_schema_documents_etag_and_412(api_client):
    paths = api_client.get("/openapi.json").json()["paths"]["/products/{id}"]
    assert "ETag" in paths["get"]["responses"]["200"]["headers"]
    for method in ("put", "patch"):
        assert "If-Match" in {p["name"] for p in paths[method]["parameters"]}
        assert "412" in paths[method]["responses"]


@pytest.mark.django_db(transaction=True)
def test_concurrent_updates_with_the_same_etag_one_wins(make_product):
    """The If-Match check runs under the row lock, so lost updates cannot happen."""
    product = make_product(stock=10)
    tag = APIClient().get(f"/products/{product.pk}")["ETag"]
    barrier = Barrier(8)

    def update(stock):
        try:
            barrier.wait()
            return APIClient().patch(f"/products/{product.pk}", {"stock": stock}, HTTP_IF_MATCH=tag)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=8) as pool:
        responses = list(pool.map(update, range(20, 28)))
    assert Counter(r.status_code for r in responses) == {200: 1, 412: 7}
    (winner,) = [r for r in responses if r.status_code == 200]
    product.refresh_from_db()
    assert product.stock == winner.json()["stock"]
    assert product.movements.filter(reason="adjustment").count() == 1
