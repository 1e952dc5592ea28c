"""Idempotency-Key on POST /products and POST /orders: replay, 422 on another body, purge."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from rest_framework.test import APIClient

from inventory.models import Product, StockMovement
from orders.models import Order
from webstore.access.services import api_key_create
from webstore.idempotency.models import IdempotencyRecord

pytestmark = pytest.mark.django_db

NEW_PRODUCT = {"sku": "IDEM-1", "name": "Idem", "price": "9.99", "stock": 4}


def post(client, path, payload, key):
    return client.post(path, payload, format="json", HTTP_IDEMPOTENCY_KEY=key)


def test_same_key_same_body_replays_the_first_product_response(api_client):
    first = post(api_client, "/products", NEW_PRODUCT, "k-1")
    assert first.status_code == 201
    assert "Idempotent-Replayed" not in first
    # Same JSON value, other key order and formatting: the same request.
    retry = api_client.generic(
        "POST",
        "/products",
        '{"stock": 4,  "price": "9.99", "name": "Idem", "sku": "IDEM-1"}',
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="k-1",
    )
    assert retry.status_code == 201
    assert retry.json() == first.json()
    assert retry["Idempotent-Replayed"] == "true"
    assert Product.objects.count() == 1
    assert StockMovement.objects.count() == 1


def test_same_key_same_body_replays_the_first_order_response(api_client, product):
    payload = {"product_id": product.pk, "quantity": 3}
    first = post(api_client, "/orders", payload, "order-7")
    retry = post(api_client, "/orders", payload, "order-7")
    assert first.status_code == retry.status_code == 201
    assert retry.json() == first.json()
    assert Order.objects.count() == 1
    product.refresh_from_db()
    assert product.stock == 47


def test_errors_are_outcomes_too_and_are_replayed(api_client, product):
    payload = {"product_id": product.pk, "quantity": 51}
    first = post(api_client, "/orders", payload, "too-many")
    assert first.status_code == 409
    Product.objects.filter(pk=product.pk).update(stock=100)  # restocked meanwhile
    retry = post(api_client, "/orders", payload, "too-many")
    assert retry.status_code == 409
    assert (
        retry.json()
        == first.json()
        == {
            "detail": {
                "error": "Insufficient stock",
                "requested": 51,
                "available": 50,
                "product_id": product.pk,
            }
        }
    )
    assert not Order.objects.exists()


def test_same_key_different_body_is_422(api_client):
    assert post(api_client, "/products", NEW_PRODUCT, "k-2").status_code == 201
    response = post(api_client, "/products", {**NEW_PRODUCT, "stock": 5}, "k-2")
    assert response.status_code == 422
    assert response.json() == {
        "detail": "This Idempotency-Key was already used with a different request body."
    }
    assert Product.objects.get().stock == 4


def test_keys_are_scoped_per_endpoint(api_client, product):
    assert post(api_client, "/products", NEW_PRODUCT, "shared").status_code == 201
    response = post(api_client, "/orders", {"product_id": product.pk, "quantity": 1}, "shared")
    assert response.status_code == 201
    assert Order.objects.count() == 1


def test_keys_are_scoped_per_api_key(require_api_key, api_key_secret):
    _, other_secret = api_key_create(name="other")
    first, second = APIClient(), APIClient()
    first.credentials(HTTP_X_API_KEY=api_key_secret)
    second.credentials(HTTP_X_API_KEY=other_secret)
    assert post(first, "/products", NEW_PRODUCT, "same").status_code == 201
    # Another client's key of the same name is another key: a real request (here a 409).
    response = post(second, "/products", NEW_PRODUCT, "same")
    assert response.status_code == 409
    assert "Idempotent-Replayed" not in response


def test_without_a_key_nothing_is_stored(api_client):
    assert api_client.post("/products", NEW_PRODUCT).status_code == 201
    assert not IdempotencyRecord.objects.exists()


@pytest.mark.parametrize("bad_key", ["", "has space", "é", "x" * 256])
def test_invalid_keys_are_400_and_nothing_happens(api_client, bad_key):
    response = api_client.post(
        "/products", NEW_PRODUCT, format="json", HTTP_IDEMPOTENCY_KEY=bad_key
    )
    assert response.status_code == 400
    assert list(response.json()["detail"]) == ["Idempotency-Key"]
    assert not Product.objects.exists()
    assert not IdempotencyRecord.objects.exists()


def test_malformed_body_does_not_consume_the_key(api_client):
    response = api_client.generic(
        "POST", "/products", "{bad", content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-3"
    )
    assert response.status_code == 400
    assert post(api_client, "/products", NEW_PRODUCT, "k-3").status_code == 201


def test_expired_records_are_reused_and_purged(api_client, capsys):
    assert post(api_client, "/products", NEW_PRODUCT, "old").status_code == 201
    IdempotencyRecord.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    # Past 24 h the key is new again: this is a fresh request (the SKU now clashes).
    assert post(api_client, "/products", NEW_PRODUCT, "old").status_code == 409
    record = IdempotencyRecord.objects.get()
    assert record.expires_at > timezone.now() + timedelta(hours=23)

    assert post(api_client, "/products", {**NEW_PRODUCT, "sku": "B"}, "other").status_code == 201
    IdempotencyRecord.objects.filter(key="old").update(expires_at=timezone.now())
    call_command("purge_idempotency_keys")
    assert "Purged 1 expired idempotency key(s)." in capsys.readouterr().out
    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["other"]


def test_a_key_abandoned_in_flight_is_taken_over(api_client, settings):
    IdempotencyRecord.objects.create(
        scope="anonymous:POST product",
        key="crashed",
        request_fingerprint="whatever",
        created_at=timezone.now() - timedelta(seconds=settings.IDEMPOTENCY_LOCK_SECONDS + 1),
        expires_at=timezone.now() + timedelta(hours=23),
    )
    response = post(api_client, "/products", NEW_PRODUCT, "crashed")
    assert response.status_code == 201
    assert IdempotencyRecord.objects.get().status_code == 201
