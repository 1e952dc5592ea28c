"""Schema fuzzing: schemathesis, with every check it has, against a live gunicorn.

The server runs as production does, API keys required; every request carries a valid key.
Each operation of /openapi.json gets positive and negative cases (examples, boundary coverage,
random fuzzing), and stateful sequences follow the schema's (inferred) links, with a fixed seed
and a bounded number of examples. All of schemathesis' checks run: no 5xx, documented statuses,
content types, headers and bodies, schema-invalid requests refused, schema-valid ones accepted,
required headers and auth enforced, unsupported methods 405, created resources readable,
deleted ones gone (an order "deleted" is canceled and stays readable, as the SPEC says).

A schema-valid request may be refused only by the contract's rules that no schema can state,
because they depend on state or on relations between items (`contract_refusal`).
"""

import contextlib
import json

import hypothesis
import pytest
import requests
from schemathesis.checks import CHECKS, load_all_checks
from schemathesis.core import NOT_SET
from schemathesis.specs.openapi.checks import (
    ensure_resource_availability,
    positive_data_acceptance,
    use_after_free,
)

from inventory.services import product_create
from orders.models import Order
from orders.services import OrderLine, order_place, order_status_update
from payments.signatures import webhook_signature
from reliability.schema import OPENAPI, schema, webhook_secret
from reliability.servers import Gunicorn, database_url
from webstore.access.services import api_key_create

pytestmark = pytest.mark.django_db(transaction=True, reset_sequences=True)

SEED = 20261128
EXAMPLES_PER_OPERATION = 40
STATEFUL_SCENARIOS = 30
STATEFUL_STEPS = 8


def contract_refusal(response, case) -> bool:
    """The contract's answers to a schema-valid request that depend on more than its shape."""
    try:
        detail = response.json().get("detail")
    except (ValueError, AttributeError):
        return False
    headers = {name.lower() for name in case.headers or {}}
    error = detail.get("error") if isinstance(detail, dict) else None
    return (
        # SPEC: the order's current status decides which transitions and cancels are allowed;
        # a webhook event id is accepted once, ever.
        (response.status_code, error)
        in {
            (400, "Invalid status transition"),
            (400, "Order cannot be canceled"),
            (400, "Event already processed"),
        }
        # The product changed since the client's ETag (any tag can be stale).
        or (response.status_code == 412 and "if-match" in headers)
        # The key was used before, with another body.
        or (response.status_code == 422 and "idempotency-key" in headers)
        # A product twice in one list (a bulk update's ids, a cart's products): JSON Schema
        # cannot say "unique by key" (SPEC: the same product twice in a cart is a 400).
        or (response.status_code == 400 and repeated_items_only(detail))
    )


REPEATED = (
    {"id": ["Duplicate id in this request."]},
    {"product_id": ["Duplicate product_id in this request."]},
)


def repeated_items_only(detail) -> bool:
    """Whether a 400's detail names only repeated list items, by index (`{"items": {...}}` for
    a cart, the indices themselves for a bulk body)."""
    if isinstance(detail, dict) and set(detail) == {"items"}:
        detail = detail["items"]
    return (
        isinstance(detail, dict)
        and bool(detail)
        and all(errors in REPEATED for errors in detail.values())
    )


def body_admitted(case) -> bool:
    """Whether the schema admits the body sent (or there is none)."""
    if case.body is NOT_SET:
        return True
    sent = case.body
    if isinstance(sent, bytes):  # raw bytes, as sent: admitted only if they are such JSON
        try:
            sent = json.loads(sent)
        except ValueError:
            return False
    return any(
        body.media_type == case.media_type and body.is_valid(sent) for body in case.operation.body
    )


def positive_data_acceptance_but_the_contracts_rules(ctx, response, case):
    """schemathesis' positive_data_acceptance, except for the contract's refusals.

    Some cases schemathesis labels positive carry a body the schema refuses (an extra key under
    `additionalProperties: false`); their 400 is the schema kept, not a refusal of valid data.
    """
    if contract_refusal(response, case) or not body_admitted(case):
        return None
    return positive_data_acceptance(ctx, response, case)


def ensure_resource_availability_but_replays(ctx, response, case):
    """schemathesis' ensure_resource_availability, except after a replayed creation.

    A POST repeating an earlier Idempotency-Key answers the stored first response
    (`Idempotent-Replayed: true`), whose resource an earlier scenario may have deleted since.
    """
    parent = ctx.internals.find_parent(case_id=case.id)
    created = parent and ctx.internals.find_response(case_id=parent.id)
    if created is not None and created.headers.get("idempotent-replayed") == ["true"]:
        return None
    return ensure_resource_availability(ctx, response, case)


def use_after_free_but_canceled_orders(ctx, response, case):
    """schemathesis' use_after_free, except for orders: DELETE /orders/{id} cancels the order
    (SPEC), which stays readable as CANCELED; a deleted product is gone (404)."""
    canceled = (
        case.operation.path.startswith("/orders/")
        and response.status_code == 200
        and response.json().get("status") == "CANCELED"
    )
    return None if canceled else use_after_free(ctx, response, case)


load_all_checks()
WRAPPED = {
    positive_data_acceptance: positive_data_acceptance_but_the_contracts_rules,
    ensure_resource_availability: ensure_resource_availability_but_replays,
    use_after_free: use_after_free_but_canceled_orders,
}
CHECKS_RUN = [WRAPPED.get(check, check) for check in CHECKS.get_all()]
assert len(CHECKS_RUN) == len(CHECKS.get_all_names()) >= 14


@pytest.fixture(scope="module")
def keyed_server(django_db_setup):
    """Production-configured gunicorn (2 workers) that requires API keys for writes."""
    server = Gunicorn(database_url=database_url(), env={"REQUIRE_API_KEY": "true"})
    yield server
    server.stop()


def test_fuzzed_schema_is_the_published_one(keyed_server):
    assert requests.get(f"{keyed_server.url}/openapi.json", timeout=30).json() == OPENAPI


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
def api_key_header() -> dict:
    _, secret = api_key_create(name="schemathesis")
    return {"Authorization": f"Bearer {secret}"}


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
def test_every_operation_conforms_to_its_schema(case, keyed_server, seeded_catalog, api_key_header):
    case.call_and_validate(
        base_url=keyed_server.url,
        checks=CHECKS_RUN,
        timeout=30,
        **call_kwargs(case, api_key_header),
    )


def test_stateful_sequences_conform_to_the_schema(keyed_server, seeded_catalog, api_key_header):
    """Sequences of calls along the schema's links, every check after each call.

    Which calls a step may make depends on earlier responses, so Hypothesis, replaying a choice
    prefix against a server whose state has moved on, can find its generation inconsistent and
    stop (`Flaky`); schemathesis' own runner counts that as a finished suite and starts
    another, and so does this test, with the next seed, until STATEFUL_SCENARIOS ran. Failures
    are collected rather than raised for the same reason: a replay would not reproduce them.
    """
    failures: list[str] = []
    scenarios = 0

    class Workflow(schema.as_state_machine()):
        def setup(self):
            nonlocal scenarios
            scenarios += 1
            self.steps = []

        def get_call_kwargs(self, case):
            return {
                "base_url": keyed_server.url,
                "timeout": 30,
                **call_kwargs(case, api_key_header),
            }

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            self.steps.append(f"{case.operation.label} -> {response.status_code}")
            try:
                case.validate_response(
                    response, checks=CHECKS_RUN, transport_kwargs=kwargs, recorder=self.recorder
                )
            except Exception as exc:  # a FailureGroup: each failed check, with a curl line
                failures.append(f"after {' | '.join(self.steps)}:\n{exc}")

    for attempt in range(STATEFUL_SCENARIOS):
        with contextlib.suppress(hypothesis.errors.Flaky):
            hypothesis.seed(SEED + attempt)(Workflow).run(
                settings=hypothesis.settings(
                    max_examples=STATEFUL_SCENARIOS - scenarios,
                    stateful_step_count=STATEFUL_STEPS,
                    deadline=None,
                    database=None,
                    suppress_health_check=list(hypothesis.HealthCheck),
                    phases=[hypothesis.Phase.generate],
                )
            )
        if scenarios >= STATEFUL_SCENARIOS:
            break
    assert not failures, "\n\n".join(failures)
    assert scenarios >= STATEFUL_SCENARIOS


def call_kwargs(case, api_key_header: dict) -> dict:
    """The valid API key on every request, and signed webhook bodies."""
    webhook = signed(case)
    return {**webhook, "headers": {**api_key_header, **webhook.get("headers", {})}}


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
