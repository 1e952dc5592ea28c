"""Schema fuzzing: schemathesis drives every operation of /openapi.json against a live gunicorn.

Positive and negative cases (examples, boundary coverage, random fuzzing) with a fixed seed and
a fixed number of examples per operation. Every response must be a non-5xx status the schema
documents for that operation, with the documented content type, headers and body.
"""

import json

import hypothesis
import pytest
import requests
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from inventory.services import product_create
from orders.models import Order
from orders.services import OrderLine, order_place, order_status_update
from payments.signatures import webhook_signature
from reliability.schema import OPENAPI, schema, webhook_secret

pytestmark = pytest.mark.django_db(transaction=True, reset_sequences=True)

SEED = 20261128
EXAMPLES_PER_OPERATION = 40
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


def test_fuzzed_schema_is_the_published_one(gunicorn_server):
    assert requests.get(f"{gunicorn_server.url}/openapi.json", timeout=30).json() == OPENAPI


def test_fuzzing_covers_the_bulk_operations():
    """schemathesis fuzzes every operation the schema lists; the bulk ones must be among them."""
    operations = {
        (method.upper(), path)
        for path, item in OPENAPI["paths"].items()
        for method, operation in item.items()
        if "responses" in operation
    }
    assert {("POST", "/products/bulk"), ("PATCH", "/products/bulk")} <= operations


@pytest.fixture
def seeded_catalog():
    """Rows with small ids (sequences reset per test), so generated ids often hit a real row."""
    products = [
        product_create(sku=f"FUZZ-{n}", name=f"Fuzz {n}", price=f"{n}9.99", stock=1000)
        for n in range(1, 4)
    ]
    for product, status in zip(
        products, [Order.Status.PENDING, Order.Status.PAID, Order.Status.SHIPPED], strict=True
    ):
        order = order_place(items=[OrderLine(product.pk, 1)])
        for step in {
            Order.Status.PENDING: [],
            Order.Status.PAID: [Order.Status.PAID],
            Order.Status.SHIPPED: [Order.Status.PAID, Order.Status.SHIPPED],
        }[status]:
            order_status_update(order_id=order.pk, status=step)
    return products


@schema.parametrize()
@hypothesis.seed(SEED)
@hypothesis.settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    database=None,
    derandomize=False,
    suppress_health_check=list(hypothesis.HealthCheck),
)
def test_every_operation_conforms_to_its_schema(case, gunicorn_server, seeded_catalog):
    case.call_and_validate(base_url=gunicorn_server.url, checks=CHECKS, timeout=30, **signed(case))


def signed(case) -> dict:
    """Signs generated webhook bodies, so fuzzing gets past the signature check to the parser,
    the serializer and the payment service (unsigned requests only ever meet the 401)."""
    if case.operation.path != "/webhooks/payment" or not isinstance(case.body, (dict, list)):
        return {}
    case.headers = {
        k: v for k, v in (case.headers or {}).items() if k.lower() != "x-webhook-timestamp"
    }
    raw = json.dumps(case.body).encode()
    secret = webhook_secret()
    return {
        "data": raw,
        "headers": {
            "Content-Type": "application/json",
            "X-Webhook-Signature": webhook_signature(body=raw, secret=secret),
        },
    }
