"""One source per error: the error classes state status and body once; the docs render instances.

The exact bodies themselves are the contract's, asserted by each app's API tests; here: the base
class's mechanics, and that every documented error example is what the exception handler
answers for the same instance.
"""

import gc
import json
from types import SimpleNamespace

import pytest
from django.db import OperationalError
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from drf_spectacular.utils import OpenApiResponse
from rest_framework.exceptions import ValidationError

import inventory.exceptions
import orders.exceptions
import payments.exceptions
import webstore.idempotency.exceptions
from inventory.exceptions import BulkSkuConflict, InsufficientStock, ProductNotFound, SkuConflict
from orders.exceptions import InvalidStatusTransition, OrderNotCancelable, OrderNotFound
from payments.exceptions import InvalidWebhookSignature, MissingEventId
from webstore.api.exceptions import DomainError, exception_handler
from webstore.api.openapi import (
    AutoSchema,
    ErrorExample,
    ErrorSerializer,
    MessageErrorSerializer,
    error_response,
)
from webstore.api.renderers import JSONRenderer

ERROR_MODULES = [
    inventory.exceptions,
    orders.exceptions,
    payments.exceptions,
    webstore.idempotency.exceptions,
]


def subclasses(cls: type) -> list[type]:
    found = []
    for subclass in cls.__subclasses__():
        found += [subclass, *subclasses(subclass)]
    return found


def concrete_errors() -> list[type[DomainError]]:
    """The DomainErrors that are raised: those no other error refines."""
    return [cls for cls in subclasses(DomainError) if not cls.__subclasses__()]


def handler_answer(error: Exception) -> tuple[int, object]:
    """What the API answers `error` with: the exception handler's status and rendered body."""
    response = exception_handler(error, {"request": None, "view": None})
    return response.status_code, json.loads(JSONRenderer().render(response.data))


def test_the_apps_define_their_errors_here():
    defined = {cls.__module__ for cls in concrete_errors()}
    assert defined == {module.__name__ for module in ERROR_MODULES}


@pytest.mark.parametrize("error_class", concrete_errors(), ids=lambda cls: cls.__name__)
def test_every_domain_error_states_a_status_and_a_body(error_class):
    assert 400 <= error_class.status_code < 500
    declares_body = error_class.message or error_class.error
    assert declares_body or error_class.detail is not DomainError.detail
    assert set(error_class.shown) <= set(error_class.facts)


def test_a_message_error_formats_its_template_with_its_facts():
    error = ProductNotFound(7)
    assert (error.product_id, error.args) == (7, (7,))
    assert error.detail == "Product with ID 7 not found"
    assert ProductNotFound(product_id=7).detail == error.detail


def test_an_object_error_lists_error_then_the_shown_facts_then_its_message():
    error = OrderNotCancelable(order_id=3, current_status="SHIPPED")
    assert error.order_id == 3
    assert list(error.detail.items()) == [
        ("error", "Order cannot be canceled"),
        ("current_status", "SHIPPED"),
        ("message", "Orders with status SHIPPED cannot be canceled"),
    ]
    assert list(InsufficientStock(product_id=1, requested=10, available=5).detail) == [
        "error",
        "requested",
        "available",
        "product_id",
    ]


def test_a_fact_the_body_does_not_show_is_carried():
    error = InvalidWebhookSignature("expired")
    assert (error.reason, error.detail) == ("expired", "Invalid webhook signature")
    assert MissingEventId().args == ()


@pytest.mark.parametrize(
    "make",
    [
        lambda: ProductNotFound(),
        lambda: ProductNotFound(1, 2),
        lambda: ProductNotFound(order_id=1),
        lambda: InsufficientStock(1, 10, 5),
        lambda: InsufficientStock(product_id=1, requested=10),
        lambda: MissingEventId("evt"),
    ],
    ids=["none", "two", "other name", "positional", "missing", "unexpected"],
)
def test_an_error_takes_exactly_its_facts(make):
    with pytest.raises(TypeError):
        make()


def test_the_handler_answers_with_the_class_status_and_body():
    assert handler_answer(
        InvalidStatusTransition(current_status="SHIPPED", requested_status="PAID")
    ) == (
        400,
        {
            "detail": {
                "error": "Invalid status transition",
                "current_status": "SHIPPED",
                "requested_status": "PAID",
                "message": "Cannot transition from SHIPPED to PAID",
            }
        },
    )
    bulk = BulkSkuConflict({3: SkuConflict("B"), 0: SkuConflict("A")})
    assert handler_answer(bulk) == (
        409,
        {
            "detail": {
                "0": "Product with SKU 'A' already exists",
                "3": "Product with SKU 'B' already exists",
            }
        },
    )


def test_an_error_response_takes_status_and_schema_from_its_examples():
    not_found = ErrorExample(OrderNotFound(1), "Not found")
    shipped = ErrorExample(OrderNotCancelable(order_id=1, current_status="SHIPPED"), "Shipped")
    ((status_code, message),) = error_response("gone", not_found).items()
    assert (status_code, message.response) == (404, MessageErrorSerializer)
    (one_object,) = error_response("no", shipped).values()
    assert type(one_object.response).__name__ == "OrderNotCancelableError"
    (choice,) = error_response("no", ErrorExample(MissingEventId(), "Missing"), shipped).values()
    assert choice.response.component_name == "RuleViolationError"
    assert [type(shape).__name__ for shape in choice.response.serializers] == [
        "MessageError",
        "OrderNotCancelableError",
    ]
    invalid = ErrorExample(ValidationError({"quantity": ["Too small."]}), "Invalid")
    (free,) = error_response("bad", invalid, shipped).values()
    assert free.response is ErrorSerializer
    with pytest.raises(ValueError, match="status codes"):
        error_response("both", not_found, ErrorExample(SkuConflict("A"), "Taken"))


@pytest.fixture
def documented_responses(monkeypatch):
    """Generates the published schema, noting each operation's declared response objects."""
    declared = []
    build = AutoSchema._get_response_for_code

    def noting(schema, serializer, status_code, *args, **kwargs):
        if isinstance(serializer, OpenApiResponse):
            declared.append(
                (schema.path.rstrip("/"), schema.method.lower(), status_code, serializer)
            )
        return build(schema, serializer, status_code, *args, **kwargs)

    monkeypatch.setattr(AutoSchema, "_get_response_for_code", noting)
    schema = SchemaGenerator().get_schema(request=None, public=True)
    published = json.loads(OpenApiJsonRenderer().render(schema, renderer_context={}))
    return published, declared


def test_every_documented_error_example_is_the_handlers_answer_to_an_instance(
    documented_responses,
):
    published, declared = documented_responses
    checked = 0
    for path, method, status_code, response in declared:
        if not status_code.startswith("4"):
            continue
        content = published["paths"][path][method]["responses"][status_code]["content"]
        examples = content["application/json"].get("examples", {})
        by_name = {
            example.get("summary", key): example["value"] for key, example in examples.items()
        }
        assert response.examples, (path, method, status_code)
        assert len(by_name) == len(response.examples), (path, method, status_code)
        for example in response.examples:
            assert isinstance(example, ErrorExample), (path, method, status_code, example.name)
            assert handler_answer(example.error) == (int(status_code), by_name[example.name])
            checked += 1
    assert checked > 100


def test_the_documented_outage_answer_is_the_handlers(documented_responses):
    published, _ = documented_responses
    operations = [op for item in published["paths"].values() for op in item.values()]
    for operation in operations:
        examples = operation["responses"]["503"]["content"]["application/json"]["examples"]
        (documented,) = [example["value"] for example in examples.values()]
        request = SimpleNamespace(request_id=documented["request_id"])
        response = exception_handler(OperationalError("down"), {"request": request, "view": None})
        assert response.status_code == 503
        assert json.loads(JSONRenderer().render(response.data)) == documented


def test_a_fact_may_not_hide_the_class_declaration():
    with pytest.raises(TypeError, match="hide"):
        type("Clash", (DomainError,), {"message": "{detail} and {error}"})
    gc.collect()  # the refused class lingers in DomainError.__subclasses__() until collected
