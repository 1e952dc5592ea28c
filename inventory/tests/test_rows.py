"""Every product the API shows is a PRODUCT_ROW: its fields declared once, as the schema says."""

import pytest
from rest_framework import serializers

from inventory.models import Product
from inventory.selectors import PRODUCT_ROW
from inventory.serializers import ProductSerializer
from webstore.api.renderers import JSONRenderer

pytestmark = pytest.mark.django_db


def _field_by_field(product: Product) -> bytes:
    """DRF's generic output of the product's serializer: each field's own to_representation."""
    return JSONRenderer().render(
        serializers.ModelSerializer.to_representation(ProductSerializer(), product)
    )


def test_the_serializer_declares_the_rows_fields():
    assert ProductSerializer.Meta.fields is PRODUCT_ROW.fields
    assert (
        tuple(ProductSerializer().fields)
        == PRODUCT_ROW.fields
        == (
            "id",
            "sku",
            "name",
            "price",
            "stock",
        )
    )


@pytest.mark.parametrize("price", ["0.01", "9.9", "19.99", "100", "99999999.99"])
def test_reads_and_writes_answer_what_the_serializers_fields_would(api_client, price):
    created = api_client.post(
        "/products", {"sku": f"ROW-{price}", "name": "Lamp", "price": price, "stock": 7}
    )
    stored = Product.objects.get(pk=created.json()["id"])
    expected = _field_by_field(stored)

    assert created.content == expected
    assert api_client.get(f"/products/{stored.pk}").content == expected
    assert api_client.get("/products", {"sku": stored.sku}).content == b"[" + expected + b"]"
    updated = api_client.patch(f"/products/{stored.pk}", {"stock": 8})
    stored.refresh_from_db()
    assert updated.content == _field_by_field(stored)


def test_every_answer_takes_its_fields_from_the_one_declaration(
    api_client, make_product, monkeypatch
):
    """A field added to PRODUCT_ROW appears in every read and every write's answer."""
    monkeypatch.setattr(PRODUCT_ROW, "fields", (*PRODUCT_ROW.fields, "reorder_level"))
    product = make_product(sku="ONE-1", stock=5)
    shown = ["id", "sku", "name", "price", "stock", "reorder_level"]
    new = {"name": "New", "price": "2.50", "stock": 1}

    answers = {
        "list": api_client.get("/products").json()[0],
        "filtered list": api_client.get("/products", {"search": "ONE"}).json()[0],
        "detail": api_client.get(f"/products/{product.pk}").json(),
        "create": api_client.post("/products", {"sku": "ONE-2", **new}).json(),
        "update": api_client.patch(f"/products/{product.pk}", {"stock": 6}).json(),
        "bulk create": api_client.post("/products/bulk", [{"sku": "ONE-3", **new}]).json()[0],
        "bulk update": api_client.patch("/products/bulk", [{"id": product.pk}]).json()[0],
    }

    for answer in answers.values():
        assert list(answer) == shown
        stored = Product.objects.get(pk=answer["id"])
        assert answer["reorder_level"] == stored.reorder_level
