"""The OpenAPI schema and the docs pages (SPEC.md, Docs)."""

import re

import pytest
from django.core.management import call_command

from inventory.serializers import ProductSerializer

pytestmark = pytest.mark.django_db


def test_schema_validates_without_warnings(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "s.yaml"))


def test_schema_metadata_and_tags(api_client):
    schema = api_client.get("/openapi.json").json()
    assert schema["info"]["title"] == "Orders & Inventory Microservice"
    assert schema["info"]["version"] == "1.0.0"
    assert len(schema["info"]["description"]) > 100
    tags = {tag["name"]: tag["description"] for tag in schema["tags"]}
    assert set(tags) >= {"products", "orders", "webhooks"}
    assert all(tags.values())


@pytest.mark.parametrize(
    "path, method, codes",
    [
        ("/products", "post", {"201", "400", "409"}),
        ("/orders", "post", {"201", "400", "404", "409"}),
        ("/orders/{id}", "put", {"200", "400", "404"}),
        ("/orders/{id}", "delete", {"204", "400", "404"}),
        ("/products/{id}", "get", {"200", "404"}),
    ],
)
def test_operations_document_their_error_responses(api_client, path, method, codes):
    schema = api_client.get("/openapi.json").json()
    operation = schema["paths"][path][method]
    assert codes <= set(operation["responses"])


@pytest.mark.parametrize("path", ["/products", "/orders"])
def test_create_operations_carry_request_and_error_examples(api_client, path):
    operation = api_client.get("/openapi.json").json()["paths"][path]["post"]
    request_examples = operation["requestBody"]["content"]["application/json"]["examples"]
    assert request_examples
    for code in ("400", "404", "409") if path == "/orders" else ("400", "409"):
        assert operation["responses"][code]["content"]["application/json"]["examples"]


@pytest.mark.parametrize("path", ["/docs", "/redoc"])
def test_docs_pages_load_no_outside_assets(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    sources = re.findall(r"""(?:src|href)=["']([^"']+)["']""", html)
    assert sources, "the page must load its bundle"
    assert all(not re.match(r"^(https?:)?//", source) for source in sources), sources
    assert "/openapi.json" in html


def test_writes_document_the_api_key_and_reads_need_none(api_client):
    schema = api_client.get("/openapi.json").json()
    schemes = schema["components"]["securitySchemes"]
    assert schemes["BearerApiKey"] == {
        "type": "http",
        "scheme": "bearer",
        "description": "`Authorization: Bearer <key>`",
    }
    assert schemes["HeaderApiKey"] == {"type": "apiKey", "in": "header", "name": "X-API-Key"}
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method in ("get", "head", "options"):
                assert "security" not in operation, (path, method)
            elif path.startswith(("/products", "/orders")):
                assert operation["security"] == [{"BearerApiKey": []}, {"HeaderApiKey": []}]
                assert {"401", "403", "429"} <= set(operation["responses"]), (path, method)


@pytest.mark.parametrize("path", ["/products", "/orders"])
def test_create_operations_document_idempotency_keys(api_client, path):
    operation = api_client.get("/openapi.json").json()["paths"][path]["post"]
    assert "Idempotency-Key" in {p["name"] for p in operation["parameters"] if p["in"] == "header"}
    assert "422" in operation["responses"]


def test_request_bodies_forbid_unknown_fields(api_client):
    # Found by schema fuzzing: the serializers answer 400 for unknown keys, but the schema
    # allowed them (OpenAPI's default), so schema-valid requests were rejected.
    schemas = api_client.get("/openapi.json").json()["components"]["schemas"]
    for name in (
        "ProductRequest",
        "PatchedProductRequest",
        "OrderLineRequest",
        "OrderCartRequest",
        "OrderStatusRequest",
    ):
        assert schemas[name]["additionalProperties"] is False, name


def test_price_schema_states_the_accepted_range(api_client):
    # Found by schema fuzzing: the price was documented from -10^8 with any precision.
    schemas = api_client.get("/openapi.json").json()["components"]["schemas"]
    price = schemas["ProductRequest"]["properties"]["price"]
    assert (price["minimum"], price["exclusiveMinimum"], price["multipleOf"]) == (0, True, 0.01)
    assert price["maximum"] == 99999999.99
    assert "multipleOf" not in schemas["Product"]["properties"]["price"]


def test_order_product_filter_is_documented_as_an_id(api_client):
    operation = api_client.get("/openapi.json").json()["paths"]["/orders"]["get"]
    parameter = next(p for p in operation["parameters"] if p["name"] == "product_id")
    assert parameter["schema"] == {"type": "integer", "minimum": 1, "maximum": 2**63 - 1}


def test_every_operation_documents_the_outage_503(api_client):
    paths = api_client.get("/openapi.json").json()["paths"]
    operations = [op for item in paths.values() for op in item.values() if "responses" in op]
    assert operations
    for operation in operations:
        response = operation["responses"]["503"]
        assert response["content"]["application/json"]["schema"] == {
            "$ref": "#/components/schemas/ServiceUnavailable"
        }
        assert {"Retry-After", "X-Request-ID"} <= set(response["headers"])


def test_the_outage_503_body_carries_the_request_id(api_client):
    component = api_client.get("/openapi.json").json()["components"]["schemas"][
        "ServiceUnavailable"
    ]
    assert component["required"] == ["detail", "request_id"]
    assert set(component["properties"]) == {"detail", "request_id"}


def test_reads_document_the_answers_to_a_bad_api_key(api_client):
    """A key sent with a read is checked (unknown → 401, revoked → 403) though none is needed."""
    paths = api_client.get("/openapi.json").json()["paths"]
    for path in ("/products", "/products/{id}", "/orders", "/orders/{id}"):
        assert {"401", "403", "429"} <= set(paths[path]["get"]["responses"]), path


def test_bulk_operations_document_body_errors_and_no_list_parameters(api_client):
    """The bulk route neither filters nor paginates; its bodies meet the same size/type limits."""
    item = api_client.get("/openapi.json").json()["paths"]["/products/bulk"]
    for method in ("post", "patch"):
        assert "parameters" not in item[method] or not [
            p for p in item[method]["parameters"] if p["in"] == "query"
        ]
        assert {"400", "411", "413", "415"} <= set(item[method]["responses"])


def test_order_create_documents_both_forms_and_the_cart_bounds(api_client):
    schema = api_client.get("/openapi.json").json()
    body = schema["paths"]["/orders"]["post"]["requestBody"]["content"]["application/json"]
    assert body["schema"] == {"$ref": "#/components/schemas/OrderCreateRequest"}
    assert schema["components"]["schemas"]["OrderCreateRequest"] == {
        "oneOf": [
            {"$ref": "#/components/schemas/OrderLineRequest"},
            {"$ref": "#/components/schemas/OrderCartRequest"},
        ]
    }
    items = schema["components"]["schemas"]["OrderCartRequest"]["properties"]["items"]
    assert items == {
        "type": "array",
        "items": {"$ref": "#/components/schemas/OrderLineRequest"},
        "minItems": 1,
        "maxItems": 100,
    }
    assert [example["value"] for example in body["examples"].values()] == [
        {"product_id": 1, "quantity": 2},
        {"items": [{"product_id": 1, "quantity": 2}, {"product_id": 5, "quantity": 1}]},
    ]


def test_orders_document_their_items_and_nullable_single_product_fields(api_client):
    order = api_client.get("/openapi.json").json()["components"]["schemas"]["Order"]
    assert order["properties"]["items"]["items"] == {"$ref": "#/components/schemas/OrderItem"}
    assert order["properties"]["product_id"]["nullable"] is True
    assert order["properties"]["unit_price"]["nullable"] is True
    assert "nullable" not in order["properties"]["total_price"]


# --- The schema admits only what the service accepts (schemathesis, every check: reliability/) --


def test_order_status_is_required_for_put_and_patch(api_client, make_order, product):
    """PATCH of a one-field body changes that field: `status` is required, as the service says."""
    paths = api_client.get("/openapi.json").json()["paths"]
    for method in ("put", "patch"):
        body = paths["/orders/{id}"][method]["requestBody"]
        assert body["required"] is True
        assert body["content"]["application/json"]["schema"] == {
            "$ref": "#/components/schemas/OrderStatusRequest"
        }
    schemas = api_client.get("/openapi.json").json()["components"]["schemas"]
    assert schemas["OrderStatusRequest"]["required"] == ["status"]
    assert "PatchedOrderStatusRequest" not in schemas
    order = make_order(product)
    response = api_client.patch(f"/orders/{order.pk}", {}, format="json")
    assert (response.status_code, response.json()) == (
        400,
        {"detail": {"status": ["This field is required."]}},
    )


def test_product_put_is_documented_partial_as_it_behaves(api_client, product):
    body = api_client.get("/openapi.json").json()["paths"]["/products/{id}"]["put"]["requestBody"]
    assert body["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/PatchedProductRequest"
    }
    response = api_client.put(f"/products/{product.pk}", {"name": "Renamed"}, format="json")
    assert (response.status_code, response.json()["name"]) == (200, "Renamed")


@pytest.mark.parametrize("path", ["/products", "/orders"])
def test_the_idempotency_key_schema_is_the_one_the_service_enforces(api_client, path):
    operation = api_client.get("/openapi.json").json()["paths"][path]["post"]
    [key] = [p for p in operation["parameters"] if p["name"] == "Idempotency-Key"]
    assert key["schema"] == {
        "type": "string",
        "minLength": 1,
        "maxLength": 255,
        "pattern": r"^[\x21-\x7e]+$",
    }
    for refused in ("", "has space", "x" * 256, "é"):
        response = api_client.post(
            path, {}, format="json", HTTP_IDEMPOTENCY_KEY=refused.encode().decode("latin-1")
        )
        assert response.status_code == 400, refused
        assert set(response.json()["detail"]) == {"Idempotency-Key"}


def test_bulk_bodies_are_flat_arrays_of_1_to_1000_items(api_client):
    item = api_client.get("/openapi.json").json()["paths"]["/products/bulk"]
    for method, component in (
        ("post", "ProductRequest"),
        ("patch", "ProductBulkUpdateItemRequest"),
    ):
        content = item[method]["requestBody"]["content"]["application/json"]
        assert content["schema"] == {
            "type": "array",
            "items": {"$ref": f"#/components/schemas/{component}"},
            "minItems": 1,
            "maxItems": 1000,
        }
        for example in content["examples"].values():
            assert all(isinstance(entry, dict) for entry in example["value"]), method
    assert api_client.post("/products/bulk", [], format="json").status_code == 400
    nested = api_client.post(
        "/products/bulk", [[{"sku": "A", "name": "A", "price": 1}]], format="json"
    )
    assert nested.status_code == 400


def test_webhook_headers_and_body_rules_are_in_the_schema(api_client):
    operation = api_client.get("/openapi.json").json()["paths"]["/webhooks/payment"]["post"]
    [event_id] = [p for p in operation["parameters"] if p["name"] == "X-Event-Id"]
    assert event_id["schema"] == {"type": "string", "pattern": r"^[\x21-\x2b\x2d-\x7e]{1,255}$"}
    body = api_client.get("/openapi.json").json()["components"]["schemas"]["PaymentEventRequest"]
    assert body["anyOf"] == [
        {"properties": {"event": {"not": {"enum": ["payment.succeeded"]}}}},
        {"required": ["amount"]},
    ]
    assert body["properties"]["currency"]["pattern"] == "^[A-Za-z]{3}$"
    assert body["properties"]["amount"]["multipleOf"] == 0.01


@pytest.mark.parametrize(
    "value",
    ["Laptop", " padded ", "a\tb", "", " ", "\t\n", "\x1e", "\u3000", "\u200b", "a\x00", "\x00"],
)
def test_text_patterns_match_what_the_serializer_accepts(api_client, value):
    """A string is schema-valid exactly when the product serializer takes it as a name."""
    schema = api_client.get("/openapi.json").json()["components"]["schemas"]["ProductRequest"]
    name = schema["properties"]["name"]
    documented = bool(re.fullmatch(name["pattern"], value)) and len(value) >= name["minLength"]
    serializer = ProductSerializer(data={"sku": "S", "name": value, "price": 1})
    assert serializer.is_valid() == documented, serializer.errors


def test_text_filters_document_their_limits(api_client):
    operation = api_client.get("/openapi.json").json()["paths"]["/products"]["get"]
    schemas = {p["name"]: p["schema"] for p in operation["parameters"]}
    assert schemas["search"] == {"type": "string", "pattern": r"^[^\x00]*$", "maxLength": 255}
    assert schemas["sku"] == {"type": "string", "pattern": r"^[^\x00]*$", "maxLength": 64}
    assert api_client.get("/products", {"search": "a\x00"}).status_code == 400
    assert api_client.get("/products", {"search": "x" * 256}).status_code == 400


@pytest.mark.parametrize("parameter", ["skip", "limit", "cursor"])
def test_an_empty_page_parameter_is_refused_like_an_empty_filter(api_client, parameter):
    response = api_client.get(f"/products?{parameter}=")
    assert response.status_code == 400
    assert set(response.json()["detail"]) == {parameter}


def test_order_placement_requires_a_body_of_either_form(api_client):
    body = api_client.get("/openapi.json").json()["paths"]["/orders"]["post"]["requestBody"]
    assert body["required"] is True
    response = api_client.post("/orders")
    assert response.status_code == 400
