"""ProductSerializer's hand-built representation says exactly what DRF's fields would say."""

from decimal import Decimal

import pytest
from rest_framework import serializers

from inventory.models import Product
from inventory.serializers import ProductSerializer
from webstore.api.renderers import JSONRenderer


def _field_by_field(product: Product) -> bytes:
    """DRF's generic output: every declared field's own to_representation."""
    fields_output = serializers.ModelSerializer.to_representation(ProductSerializer(), product)
    return JSONRenderer().render(fields_output)


@pytest.mark.parametrize("price", ["0.01", "9.9", "19.99", "100", "99999999.99"])
def test_representation_matches_the_fields_output(make_product, price):
    created = make_product(price=price, stock=7)
    for product in (created, Product.objects.get(pk=created.pk)):
        assert JSONRenderer().render(ProductSerializer(product).data) == _field_by_field(product)


def test_representation_has_exactly_the_declared_fields(make_product):
    product = make_product(sku="REP-1", name="Lamp", price="12.50", stock=3)

    assert ProductSerializer(product).data == {
        "id": product.pk,
        "sku": "REP-1",
        "name": "Lamp",
        "price": Decimal("12.50"),
        "stock": 3,
    }
    assert list(ProductSerializer(product).data) == ProductSerializer.Meta.fields
