"""Every response code the schema documents is real: a request through gunicorn produces it.

Schema fuzzing proves the converse (every code the service gives is documented). Here each
documented (operation, code) pair has a recipe; the answer must carry that code and conform to
the schema for it. A code documented without a recipe fails the test, so the documentation
cannot promise answers that never happen. 503 needs a dead database: `test_database_outage.py`
produces it for every operation.
"""

import json

import pytest
import requests

from inventory.services import product_create
from orders.models import Order
from orders.services import order_place, order_transition
from payments.signatures import webhook_signature
from reliability.schema import OPENAPI, schema, webhook_secret

pytestmark = pytest.mark.django_db(transaction=True)

JSON = {"Content-Type": "application/json"}
BIG = {"data": b'{"name": "' + b"x" * (2 * 1024 * 1024) + b'"}', "headers": JSON}
CHUNKED = {"data": iter([b'{"name": ', b'"x"}']), "headers": JSON}
PLAIN = {"data": b'{"name": "x"}', "headers": {"Content-Type": "text/plain"}}
MISSING = 999_999


def signed(body: dict, event_id: str | None = "evt-doc", sign: bool = True) -> dict:
    raw = json.dumps(body).encode()
    headers = {**JSON, "X-Event-Id": event_id} if event_id else dict(JSON)
    if sign:
        headers["X-Webhook-Signature"] = webhook_signature(body=raw, secret=webhook_secret())
    return {"data": raw, "headers": headers}


def paid_event(order_id: int) -> dict:
    return {"event": "payment.succeeded", "order_id": order_id, "amount": "9.99", "currency": "USD"}


# (method, documented path, code) -> (path with the row names to fill, request kwargs or a maker)
RECIPES = {
    ("GET", "/products", "200"): ("/products", {}),
    ("GET", "/products", "400"): ("/products?limit=0", {}),
    ("POST", "/products", "201"): ("/products", {"json": {"sku": "NEW", "name": "n", "price": 1}}),
    ("POST", "/products", "400"): ("/products", {"json": {"sku": "NEW", "name": "n", "price": 0}}),
    ("POST", "/products", "409"): (
        "/products",
        {"json": {"sku": "DOC-1", "name": "n", "price": 1}},
    ),
    ("POST", "/products", "411"): ("/products", CHUNKED),
    ("POST", "/products", "413"): ("/products", BIG),
    ("POST", "/products", "415"): ("/products", PLAIN),
    ("GET", "/products/{id}", "200"): ("/products/{product}", {}),
    ("GET", "/products/{id}", "404"): (f"/products/{MISSING}", {}),
    ("DELETE", "/products/{id}", "204"): ("/products/{spare}", {}),
    ("DELETE", "/products/{id}", "404"): (f"/products/{MISSING}", {}),
    **{
        (method, "/products/{id}", code): recipe
        for method in ("PUT", "PATCH")
        for code, recipe in {
            "200": ("/products/{product}", {"json": {"name": "Renamed"}}),
            "400": ("/products/{product}", {"json": {"price": "abc"}}),
            "404": (f"/products/{MISSING}", {"json": {"name": "x"}}),
            "409": ("/products/{product}", {"json": {"sku": "DOC-2"}}),
            "411": ("/products/{product}", CHUNKED),
            "413": ("/products/{product}", BIG),
            "415": ("/products/{product}", PLAIN),
        }.items()
    },
    ("GET", "/orders", "200"): ("/orders", {}),
    ("GET", "/orders", "400"): ("/orders?status=LOST", {}),
    ("POST", "/orders", "201"): ("/orders", {"json": {"product_id": "{product}", "quantity": 1}}),
    ("POST", "/orders", "400"): ("/orders", {"json": {"product_id": "{product}", "quantity": 0}}),
    ("POST", "/orders", "404"): ("/orders", {"json": {"product_id": MISSING, "quantity": 1}}),
    ("POST", "/orders", "409"): (
        "/orders",
        {"json": {"product_id": "{product}", "quantity": 10_000}},
    ),
    ("POST", "/orders", "411"): ("/orders", CHUNKED),
    ("POST", "/orders", "413"): ("/orders", BIG),
    ("POST", "/orders", "415"): ("/orders", PLAIN),
    ("GET", "/orders/{id}", "200"): ("/orders/{pending}", {}),
    ("GET", "/orders/{id}", "404"): (f"/orders/{MISSING}", {}),
    ("DELETE", "/orders/{id}", "204"): ("/orders/{pending}", {}),
    ("DELETE", "/orders/{id}", "400"): ("/orders/{shipped}", {}),
    ("DELETE", "/orders/{id}", "404"): (f"/orders/{MISSING}", {}),
    **{
        (method, "/orders/{id}", code): recipe
        for method in ("PUT", "PATCH")
        for code, recipe in {
            "200": ("/orders/{pending}", {"json": {"status": "PAID"}}),
            "400": ("/orders/{shipped}", {"json": {"status": "PAID"}}),
            "404": (f"/orders/{MISSING}", {"json": {"status": "PAID"}}),
            "411": ("/orders/{pending}", CHUNKED),
            "413": ("/orders/{pending}", BIG),
            "415": ("/orders/{pending}", PLAIN),
        }.items()
    },
    ("POST", "/webhooks/payment", "200"): (
        "/webhooks/payment",
        lambda rows: signed(paid_event(rows["pending"])),
    ),
    ("POST", "/webhooks/payment", "400"): (
        "/webhooks/payment",
        lambda rows: signed(paid_event(rows["pending"]), event_id=None),
    ),
    ("POST", "/webhooks/payment", "401"): (
        "/webhooks/payment",
        lambda rows: signed(paid_event(rows["pending"]), sign=False),
    ),
    ("POST", "/webhooks/payment", "404"): (
        "/webhooks/payment",
        lambda rows: signed(paid_event(MISSING)),
    ),
    ("POST", "/webhooks/payment", "409"): (
        "/webhooks/payment",
        lambda rows: signed(paid_event(rows["shipped"])),
    ),
    ("POST", "/webhooks/payment", "411"): ("/webhooks/payment", CHUNKED),
    ("POST", "/webhooks/payment", "413"): ("/webhooks/payment", BIG),
}

DOCUMENTED = sorted(
    (method.upper(), path, code)
    for path, item in OPENAPI["paths"].items()
    for method, operation in item.items()
    if "responses" in operation
    for code in operation["responses"]
    if code != "503"
)


@pytest.fixture
def rows():
    product = product_create(sku="DOC-1", name="Documented", price="9.99", stock=50)
    product_create(sku="DOC-2", name="Other", price="1.00", stock=1)
    spare = product_create(sku="DOC-3", name="Spare", price="1.00", stock=1)
    pending = order_place(product_id=product.pk, quantity=1)
    shipped = order_place(product_id=product.pk, quantity=1)
    for status in (Order.Status.PAID, Order.Status.SHIPPED):
        order_transition(order_id=shipped.pk, status=status)
    return {"product": product.pk, "spare": spare.pk, "pending": pending.pk, "shipped": shipped.pk}


def fill(value, rows):
    if isinstance(value, str) and "{" in value:
        filled = value.format(**rows)
        return int(filled) if value.startswith("{") else filled
    if isinstance(value, dict):
        return {key: fill(item, rows) for key, item in value.items()}
    return value


def test_every_documented_code_has_a_recipe():
    assert sorted(RECIPES) == DOCUMENTED


@pytest.mark.parametrize(
    "method, path, code", DOCUMENTED, ids=[" ".join(key) for key in DOCUMENTED]
)
def test_documented_code_is_real(gunicorn_server, rows, method, path, code):
    url_path, recipe = RECIPES[(method, path, code)]
    kwargs = recipe(rows) if callable(recipe) else dict(recipe)
    if "json" in kwargs:
        kwargs["json"] = fill(kwargs["json"], rows)
    if "data" in kwargs and not isinstance(kwargs["data"], bytes):
        kwargs["data"] = iter([b'{"name": ', b'"x"}'])  # a fresh chunked body per request
    response = requests.request(
        method, gunicorn_server.url + fill(url_path, rows), timeout=60, **kwargs
    )
    assert response.status_code == int(code), response.content[:300]
    schema[path][method].validate_response(response)
