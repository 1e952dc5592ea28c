"""Product request validation and response shape."""
from decimal import Decimal

from rest_framework import serializers

from inventory.models import Product
from webstore.serializers import MAX_COUNT, RejectUnknownFieldsMixin, StrictCharField, StrictIntegerField


class PriceField(serializers.DecimalField):
    """A price: greater than 0, at most 2 decimal places, below 10^8 (10 digits)."""

    def __init__(self, **kwargs):
        super().__init__(max_digits=10, decimal_places=2, **kwargs)


class ProductSerializer(RejectUnknownFieldsMixin, serializers.ModelSerializer):
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
