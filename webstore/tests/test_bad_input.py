"""Hostile and malformed input: always a 4xx with `detail`, never a 500, nothing written."""

import pytest

from inventory.models import Product, StockMovement
from orders.models import Order

pytestmark = pytest.mark.django_db

VALID_PRODUCT = {"sku": "NEW-1", "name": "New", "price": 1.5, "stock": 1}

# (method, path, raw body or None, content type, expected status)
CASES = [
    ("post", "/products", b'{"sku": "A", "name": ', "application/json", 400),
    ("post", "/products", b"not json", "application/json", 400),
    ("post", "/products", b"[1, 2]", "application/json", 400),
    ("post", "/products", b'"just a string"', "application/json", 400),
    ("post", "/products", b'{"sku": "\xff\xfe", "name": "x", "price": 1}', "application/json", 400),
    ("post", "/products", b"[" * 5000 + b"]" * 5000, "application/json", 400),
    ("post", "/products", b'{"sku": "A", "name": "x", "price": NaN}', "application/json", 400),
    ("post", "/products", b'{"sku": "A", "name": "x", "price": 1e999}', "application/json", 400),
    ("post", "/products", b"sku=A&name=x&price=1", "application/x-www-form-urlencoded", 415),
    ("post", "/products", b"{}", "text/plain", 415),
    ("post", "/products", {"sku": 123, "name": "x", "price": 1}, None, 400),
    ("post", "/products", {"sku": "A", "name": True, "price": 1}, None, 400),
    ("post", "/products", {"sku": "A", "name": "x", "price": True}, None, 400),
    ("post", "/products", {"sku": "A", "name": "x", "price": "free"}, None, 400),
    ("post", "/products", {"sku": "A", "name": "x", "price": 0}, None, 400),
    ("post", "/products", {"sku": "A", "name": "x", "price": -5}, None, 400),
    ("post", "/products", {"sku": "A", "name": "x", "price": "1.001"}, None, 400),
    ("post", "/products", {"sku": "A", "name": "x", "price": 10**12}, None, 400),
    ("post", "/products", {"sku": "A", "name": "x", "price": 1, "stock": -1}, None, 400),
    ("post", "/products", {"sku": "A", "name": "x", "price": 1, "stock": 1.5}, None, 400),
    ("post", "/products", {"sku": "A", "name": "x", "price": 1, "stock": "7"}, None, 400),
    ("post", "/products", {"sku": "A", "name": "x", "price": 1, "stock": 2**31}, None, 400),
    ("post", "/products", {"sku": "A", "name": "x", "price": 1, "stock": 2**70}, None, 400),
    ("post", "/products", {"sku": "A", "name": "n" * 10_000, "price": 1}, None, 400),
    ("post", "/products", {"sku": "S" * 65, "name": "x", "price": 1}, None, 400),
    ("post", "/products", {"sku": "   ", "name": "x", "price": 1}, None, 400),
    ("post", "/products", {"sku": "A", "name": "", "price": 1}, None, 400),
    ("post", "/products", {"name": "x", "price": 1}, None, 400),
    ("post", "/products", {**VALID_PRODUCT, "id": 5}, None, 400),
    ("post", "/products", {**VALID_PRODUCT, "color": "red"}, None, 400),
    ("post", "/products", {"sku": None, "name": "x", "price": 1}, None, 400),
    ("post", "/orders", {"product_id": "abc", "quantity": 1}, None, 400),
    ("post", "/orders", {"product_id": 2**64, "quantity": 1}, None, 400),
    ("post", "/orders", {"product_id": 1, "quantity": 2**63}, None, 400),
    ("post", "/orders", {"product_id": 1, "quantity": -3}, None, 400),
    ("post", "/orders", {"product_id": 1, "quantity": True}, None, 400),
    ("post", "/orders", {"product_id": [1], "quantity": 1}, None, 400),
    ("post", "/orders", {}, None, 400),
    ("post", "/orders", b"", "application/json", 400),
    ("put", "/products/{product}", {"price": "abc"}, None, 400),
    ("put", "/products/{product}", {"sku": ""}, None, 400),
    ("put", "/orders/{order}", {"status": 1}, None, 400),
    ("put", "/orders/{order}", {"status": "PAID", "product_id": 2}, None, 400),
    ("get", "/products/abc", None, None, 404),
    ("get", "/products/-1", None, None, 404),
    ("get", "/products/1.5", None, None, 404),
    ("get", "/products/99999999999999999999999999", None, None, 404),
    ("get", "/orders/abc", None, None, 404),
    ("delete", "/orders/1e3", None, None, 404),
    ("put", "/orders/0", {"status": "PAID"}, None, 404),
    ("get", "/products?skip=-1", None, None, 400),
    ("get", "/products?skip=99999999999999999999", None, None, 400),
    ("get", "/products?limit=0", None, None, 400),
    ("get", "/products?limit=1001", None, None, 400),
    ("get", "/products?in_stock=maybe", None, None, 400),
    ("get", "/orders?created_after=not-a-date", None, None, 400),
    ("get", "/orders?status=LOST", None, None, 400),
    ("get", "/orders?product_id=99999999999999999999999", None, None, 400),
    ("patch", "/products", None, None, 405),
    ("get", "/no/such/path", None, None, 404),
    ("post", "/no/such/path", b"{}", "application/json", 404),
]


@pytest.mark.parametrize("method, path, payload, content_type, expected", CASES)
def test_bad_input_is_a_clear_4xx_and_writes_nothing(
    api_client, make_product, make_order, method, path, payload, content_type, expected
):
    product = make_product(sku="KEEP", stock=5)
    order = make_order(product)
    path = path.format(product=product.pk, order=order.pk)
    before = (
        list(Product.objects.values()),
        list(Order.objects.values()),
        StockMovement.objects.count(),
    )
    call = getattr(api_client, method)
    if payload is None:
        response = call(path)
    elif content_type is None:
        response = call(path, payload, format="json")
    else:
        response = call(path, payload, content_type=content_type)
    assert response.status_code == expected, response.content
    assert "detail" in response.json()
    after = (
        list(Product.objects.values()),
        list(Order.objects.values()),
        StockMovement.objects.count(),
    )
    assert after == before


def test_body_over_the_size_limit_is_413(api_client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    payload = b'{"sku": "A", "name": "' + b"x" * 2000 + b'", "price": 1}'
    response = api_client.post("/products", payload, content_type="application/json")
    assert response.status_code == 413
    assert response.json() == {"detail": "Request body too large (limit 1000 bytes)."}
    assert not Product.objects.exists()


def test_chunked_body_is_refused_not_read_as_empty(api_client):
    # Found by the reliability group: Django reads a body only up to Content-Length, so a
    # chunked POST reached the serializer as an empty body ("field required").
    response = api_client.post(
        "/products", VALID_PRODUCT, format="json", HTTP_TRANSFER_ENCODING="chunked"
    )
    assert response.status_code == 411
    assert response.json() == {
        "detail": "Send the request body with a Content-Length header (chunked bodies are not supported)."
    }
    assert not Product.objects.exists()


@pytest.mark.parametrize(
    "params, headers",
    [
        ({}, {"HTTP_ACCEPT": "text/html"}),
        ({}, {"HTTP_ACCEPT": "application/xml"}),
        ({"format": "xml"}, {}),
    ],
)
def test_accept_header_and_format_parameter_never_change_the_answer(
    api_client, product, params, headers
):
    # Found by the reliability group: DRF answered 406 / 404, which the schema never documented
    # and the original service never gave.
    response = api_client.get(f"/products/{product.pk}", params, **headers)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json()["sku"] == "PROD-001"


def test_disallowed_host_is_a_json_400(client):
    # Found by the reliability group: Django's default 400 page is HTML.
    response = client.get("/products", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert response.json() == {"detail": "Bad request."}
