"""Product request validation and response shape."""

from decimal import Decimal

from rest_framework import serializers

from inventory.models import Product
from webstore.api.fields import (
    MAX_BULK_ITEMS,
    MAX_COUNT,
    MAX_ID,
    ClassBuiltFieldsMixin,
    IndexedListSerializer,
    RejectUnknownFieldsMixin,
    StrictCharField,
    StrictIntegerField,
)


class PriceField(serializers.DecimalField):
    """A price: greater than 0, at most 2 decimal places, below 10^8 (10 digits)."""

    def __init__(self, **kwargs):
        super().__init__(max_digits=10, decimal_places=2, **kwargs)


class ProductSerializer(
    RejectUnknownFieldsMixin, ClassBuiltFieldsMixin, serializers.ModelSerializer
):
    """A product as the API shows it, and the body of create and (partial) update."""

    sku = StrictCharField(min_length=1, max_length=64)
    name = StrictCharField(min_length=1, max_length=255)
    price = PriceField(
        help_text="Greater than 0, at most 2 decimal places; a JSON number or numeric string.",
    )
    stock = StrictIntegerField(min_value=0, max_value=MAX_COUNT, default=0)

    class Meta:
        model = Product
        fields = ["id", "sku", "name", "price", "stock"]
        # SKU uniqueness is the service's job: a clash is a 409, not a validation error.
        validators = []

    def validate_price(self, value: Decimal) -> Decimal:
        if value <= 0:
            raise serializers.ValidationError("Ensure this value is greater than 0.")
        return value

    def to_representation(self, product: Product) -> dict:
        # Every read ends here, 20 times per list page. Stored values are already what the
        # fields would output (the price has its two places from the database or validation),
        # so the dict is built directly rather than field by field, which cost a third of a
        # list request's time. tests/test_serializers pins it to DRF's field-by-field output.
        return {
            "id": product.pk,
            "sku": product.sku,
            "name": product.name,
            "price": product.price,
            "stock": product.stock,
        }


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
