"""Product request validation and response shape."""

from decimal import Decimal

from rest_framework import serializers

from inventory.models import Product
from inventory.selectors import PRODUCT_ROW
from webstore.api.fields import (
    MAX_BULK_ITEMS,
    MAX_COUNT,
    MAX_ID,
    IndexedListSerializer,
    RejectUnknownFieldsMixin,
    StrictCharField,
    StrictIntegerField,
)


class PriceField(serializers.DecimalField):
    """A price: greater than 0, at most 2 decimal places, below 10^8 (10 digits)."""

    def __init__(self, **kwargs):
        super().__init__(max_digits=10, decimal_places=2, **kwargs)


class ProductSerializer(RejectUnknownFieldsMixin, serializers.ModelSerializer):
    """The body of product create and (partial) update, and the product's schema.

    Responses are `PRODUCT_ROW`s (inventory.selectors), whose fields these are.
    """

    sku = StrictCharField(min_length=1, max_length=64)
    name = StrictCharField(min_length=1, max_length=255)
    price = PriceField(
        help_text="Greater than 0, at most 2 decimal places; a JSON number or numeric string.",
    )
    stock = StrictIntegerField(min_value=0, max_value=MAX_COUNT, default=0)

    class Meta:
        model = Product
        fields = PRODUCT_ROW.fields
        # SKU uniqueness is the service's job: a clash is a 409, not a validation error.
        validators = []

    def validate_price(self, value: Decimal) -> Decimal:
        if value <= 0:
            raise serializers.ValidationError("Ensure this value is greater than 0.")
        return value


class ProductBulkUpdateItemSerializer(ProductSerializer):
    """One item of PATCH /products/bulk: the product's `id` and the fields to change."""

    id = StrictIntegerField(min_value=1, max_value=MAX_ID)
    sku = StrictCharField(min_length=1, max_length=64, required=False)
    name = StrictCharField(min_length=1, max_length=255, required=False)
    price = PriceField(required=False)
    stock = StrictIntegerField(min_value=0, max_value=MAX_COUNT, required=False)


class ProductBulkUpdateSerializer(IndexedListSerializer):
    """The body of PATCH /products/bulk; an id may appear once."""

    unique_field = "id"

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("child", ProductBulkUpdateItemSerializer())
        kwargs.setdefault("allow_empty", False)
        kwargs.setdefault("max_length", MAX_BULK_ITEMS)
        super().__init__(*args, **kwargs)


def product_bulk_create_serializer(**kwargs) -> IndexedListSerializer:
    """The body of POST /products/bulk: 1 to MAX_BULK_ITEMS new products."""
    return IndexedListSerializer(
        child=ProductSerializer(), allow_empty=False, max_length=MAX_BULK_ITEMS, **kwargs
    )
