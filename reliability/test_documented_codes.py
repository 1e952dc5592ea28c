"""Every response code the schema documents is real: a request through gunicorn produces it.

Schema fuzzing proves the converse (every code the service gives is documented). Here each
documented (operation, code) pair has a recipe; the answer must carry that code and conform to
the schema for it. A code documented without a recipe fails the test, so the documentation
cannot promise answers that never happen. 503 needs a dead database: `test_database_outage.py`
produces it for every operation.

Most recipes run on the plain server (keys and rate limits off, as `make test` configures).
401, 403 and 429 need the guarded one: API keys required and a budget of one read and one write
a day per key, on a single worker so its in-memory throttle counters see every request. Each
test there gets a fresh key (so budgets never leak between tests); a 429 recipe spends the
budget with a first request, then sends the recipe's.
"""

import json
from collections.abc import Callable
from typing import NamedTuple

import pytest
import requests

from inventory.services import product_create
from orders.models import Order
from orders.services import OrderLine, order_place, order_status_update
from payments.signatures import webhook_signature
from reliability.schema import OPENAPI, schema, webhook_secret
from reliability.servers import Gunicorn, database_url
from webstore.access.services import api_key_create, api_key_revoke

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


class Guarded(NamedTuple):
    """A recipe for the guarded server: path and request as in RECIPES, and the key to send.

    `key`: "valid" (this test's fresh key), "revoked", "unknown" or None (no key).
    `spend_budget`: send the request once before, so the recipe's request is over the limit.
    """

    path: str
    request: dict | Callable
    key: str | None = "valid"
    spend_budget: bool = False


class Primed(NamedTuple):
    """A recipe sent after `before` (a request to the same path) on the plain server."""

    path: str
    request: dict
    before: dict


def over_limit(path: str, request: dict | Callable | None = None) -> Guarded:
    return Guarded(path, request or {}, spend_budget=True)


def key_reused(path: str, body: dict, other_body: dict) -> Primed:
    """The same Idempotency-Key first with `body`, then with `other_body`: 422."""
    key = {"Idempotency-Key": "doc-reused-key"}
    return Primed(path, {"json": other_body, "headers": key}, {"json": body, "headers": key})


# (method, documented path, code) -> (path with the row names to fill, request kwargs or a
# maker), or a Guarded / Primed recipe.
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

BULK_CREATE = {"json": [{"sku": "BULK-1", "name": "b", "price": 1}]}
BULK_UPDATE = {"json": [{"id": "{product}", "name": "Renamed"}]}
RECIPES |= {
    # 412: an If-Match naming a version the product does not have (any more).
    **{
        (method, "/products/{id}", "412"): (
            "/products/{product}",
            {"json": {"name": "Renamed"}, "headers": {"If-Match": '"stale-version"'}},
        )
        for method in ("PUT", "PATCH")
    },
    ("POST", "/products", "422"): key_reused(
        "/products",
        {"sku": "KEYED", "name": "n", "price": 1},
        {"sku": "KEYED", "name": "m", "price": 1},
    ),
    ("POST", "/orders", "422"): key_reused(
        "/orders",
        {"product_id": "{product}", "quantity": 1},
        {"product_id": "{product}", "quantity": 2},
    ),
    ("POST", "/products/bulk", "201"): ("/products/bulk", BULK_CREATE),
    ("POST", "/products/bulk", "400"): (
        "/products/bulk",
        {"json": [{"sku": "BULK-1", "name": "b", "price": 0}]},
    ),
    ("POST", "/products/bulk", "409"): (
        "/products/bulk",
        {"json": [{"sku": "DOC-1", "name": "b", "price": 1}]},
    ),
    ("PATCH", "/products/bulk", "200"): ("/products/bulk", BULK_UPDATE),
    ("PATCH", "/products/bulk", "400"): (
        "/products/bulk",
        {"json": [{"id": "{product}", "price": "abc"}]},
    ),
    ("PATCH", "/products/bulk", "404"): (
        "/products/bulk",
        {"json": [{"id": MISSING, "name": "x"}]},
    ),
    ("PATCH", "/products/bulk", "409"): (
        "/products/bulk",
        {"json": [{"id": "{product}", "sku": "DOC-2"}]},
    ),
    **{
        (method, "/products/bulk", code): ("/products/bulk", body)
        for method in ("POST", "PATCH")
        for code, body in {"411": CHUNKED, "413": BIG, "415": PLAIN}.items()
    },
}
# The guarded server: each operation's 401, 403 and 429 with a request that is otherwise fine.
VALID_REQUESTS = {
    ("GET", "/products"): ("/products", {}),
    ("GET", "/products/{id}"): ("/products/{product}", {}),
    ("GET", "/orders"): ("/orders", {}),
    ("GET", "/orders/{id}"): ("/orders/{pending}", {}),
    ("POST", "/products"): ("/products", {"json": {"sku": "NEW", "name": "n", "price": 1}}),
    ("PUT", "/products/{id}"): ("/products/{product}", {"json": {"name": "Renamed"}}),
    ("PATCH", "/products/{id}"): ("/products/{product}", {"json": {"name": "Renamed"}}),
    ("DELETE", "/products/{id}"): ("/products/{spare}", {}),
    ("POST", "/products/bulk"): ("/products/bulk", BULK_CREATE),
    ("PATCH", "/products/bulk"): ("/products/bulk", BULK_UPDATE),
    ("POST", "/orders"): ("/orders", {"json": {"product_id": "{product}", "quantity": 1}}),
    ("PUT", "/orders/{id}"): ("/orders/{pending}", {"json": {"status": "PAID"}}),
    ("PATCH", "/orders/{id}"): ("/orders/{pending}", {"json": {"status": "PAID"}}),
    ("DELETE", "/orders/{id}"): ("/orders/{pending}", {}),
}
for (method, path), (url_path, request) in VALID_REQUESTS.items():
    RECIPES |= {
        # Writes need a key; reads need none but check one that is sent.
        (method, path, "401"): Guarded(
            url_path, request, key="unknown" if method == "GET" else None
        ),
        (method, path, "403"): Guarded(url_path, request, key="revoked"),
        (method, path, "429"): over_limit(url_path, request),
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
    pending = order_place(items=[OrderLine(product.pk, 1)])
    shipped = order_place(items=[OrderLine(product.pk, 1)])
    for status in (Order.Status.PAID, Order.Status.SHIPPED):
        order_status_update(order_id=shipped.pk, status=status)
    return {"product": product.pk, "spare": spare.pk, "pending": pending.pk, "shipped": shipped.pk}


@pytest.fixture(scope="module")
def guarded_server(django_db_setup):
    """Production-like guards: API keys required, one read and one write a day per key.

    One worker: the throttle counters live in that process's memory (no REDIS_URL), so every
    request of a test meets the same counters.
    """
    server = Gunicorn(
        database_url=database_url(),
        workers=1,
        env={"REQUIRE_API_KEY": "true", "RATE_LIMIT_READ": "1/day", "RATE_LIMIT_WRITE": "1/day"},
    )
    yield server
    server.stop()


def fill(value, rows):
    if isinstance(value, str) and "{" in value:
        filled = value.format(**rows)
        return int(filled) if value.startswith("{") else filled
    if isinstance(value, dict):
        return {key: fill(item, rows) for key, item in value.items()}
    if isinstance(value, list):
        return [fill(item, rows) for item in value]
    return value


def key_headers(key: str | None) -> dict:
    """The X-API-Key header for a Guarded recipe's `key` (keys made through the service)."""
    if key is None:
        return {}
    if key == "unknown":
        return {"X-API-Key": "not-a-key-we-issued"}
    api_key, secret = api_key_create(name=f"documented-codes-{key}")
    if key == "revoked":
        api_key_revoke(api_key=api_key)
    return {"X-API-Key": secret}


def prepared(request, rows, headers: dict | None = None) -> dict:
    """Request kwargs with the rows filled in, a fresh chunked body, and extra headers."""
    kwargs = request(rows) if callable(request) else dict(request)
    if "json" in kwargs:
        kwargs["json"] = fill(kwargs["json"], rows)
    if "data" in kwargs and not isinstance(kwargs["data"], bytes):
        kwargs["data"] = iter([b'{"name": ', b'"x"}'])  # a fresh chunked body per request
    if headers:
        kwargs["headers"] = {**kwargs.get("headers", {}), **headers}
    return kwargs


def test_every_documented_code_has_a_recipe():
    assert sorted(RECIPES) == DOCUMENTED


@pytest.mark.parametrize(
    "method, path, code", DOCUMENTED, ids=[" ".join(key) for key in DOCUMENTED]
)
def test_documented_code_is_real(request, rows, method, path, code):
    recipe = RECIPES[(method, path, code)]
    server = request.getfixturevalue(
        "guarded_server" if isinstance(recipe, Guarded) else "gunicorn_server"
    )
    url = server.url + fill(recipe[0], rows)
    if isinstance(recipe, Guarded):
        kwargs = prepared(recipe.request, rows, key_headers(recipe.key))
        if recipe.spend_budget:
            first = requests.request(method, url, timeout=60, **kwargs)
            assert first.status_code < 400, first.content[:300]
            kwargs = prepared(recipe.request, rows, kwargs.get("headers"))
    elif isinstance(recipe, Primed):
        first = requests.request(method, url, timeout=60, **prepared(recipe.before, rows))
        assert first.status_code < 400, first.content[:300]
        kwargs = prepared(recipe.request, rows)
    else:
        kwargs = prepared(recipe[1], rows)
    response = requests.request(method, url, timeout=60, **kwargs)
    assert response.status_code == int(code), response.content[:300]
    schema[path][method].validate_response(response)
