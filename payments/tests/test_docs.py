"""The webhook's OpenAPI description: tag, headers, body example, every response with an example."""

import pytest
from django.test import Client


@pytest.fixture(scope="module")
def schema():
    # Built once for the module: generating the schema is slow and reads no data.
    return Client().get("/openapi.json").json()


@pytest.fixture
def operation(schema):
    return schema["paths"]["/webhooks/payment"]["post"]


def test_tagged_webhooks_with_its_headers(operation):
    assert operation["tags"] == ["webhooks"]
    headers = {
        p["name"]: p.get("required", False) for p in operation["parameters"] if p["in"] == "header"
    }
    assert headers == {
        "X-Webhook-Signature": True,
        "X-Event-Id": True,
        "X-Webhook-Timestamp": False,
    }
    assert (
        "sha256=" in operation["description"] and "X-Webhook-Timestamp" in operation["description"]
    )


def test_body_schema_and_example(schema, operation):
    content = operation["requestBody"]["content"]["application/json"]
    examples = [example["value"] for example in content["examples"].values()]
    assert {
        "event": "payment.succeeded",
        "order_id": 123,
        "amount": 99.99,
        "currency": "USD",
    } in examples
    schema_name = content["schema"]["$ref"].rsplit("/", 1)[1]
    body = schema["components"]["schemas"][schema_name]
    assert set(body["properties"]) == {"event", "order_id", "amount", "currency"}
    assert set(body["required"]) == {"event", "order_id"}


def test_every_response_is_documented_with_an_example(operation):
    assert set(operation["responses"]) == {"200", "400", "401", "404", "409", "411", "413", "503"}
    for code, response in operation["responses"].items():
        examples = response["content"]["application/json"]["examples"]
        assert examples, code
        assert all("detail" in example["value"] for example in examples.values()) == (code != "200")
    ok = [
        example["value"]["status"]
        for example in operation["responses"]["200"]["content"]["application/json"][
            "examples"
        ].values()
    ]
    assert ok == ["success", "ignored"]
    conflicts = operation["responses"]["409"]["content"]["application/json"]["examples"].values()
    assert {example["value"]["detail"]["error"] for example in conflicts} == {
        "Order not payable",
        "Payment amount mismatch",
    }
