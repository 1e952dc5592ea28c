"""The OpenAPI schema and the docs pages (SPEC.md, Docs)."""
import re

import pytest
from django.core.management import call_command

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
