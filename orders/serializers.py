"""Order request validation and response shape."""

from rest_framework import serializers

from orders.models import Order
from webstore.api.fields import (
    MAX_COUNT,
    MAX_ID,
    ClassBuiltFieldsMixin,
    RejectUnknownFieldsMixin,
    StrictIntegerField,
    iso_datetime,
)


class OrderSerializer(ClassBuiltFieldsMixin, serializers.ModelSerializer):
    """An order as the API shows it."""

    total_price = serializers.DecimalField(max_digits=20, decimal_places=2, read_only=True)

    class Meta:
        model = Order
        fields = [
            "id",
            "product_id",
            "quantity",
            "status",
            "created_at",
            "unit_price",
            "total_price",
            "updated_at",
        ]
        read_only_fields = fields

    def to_representation(self, order: Order) -> dict:
        # Built directly, as ProductSerializer's: stored values already have the fields' output
        # form (two-place decimals); timestamps as DRF writes them. Pinned by test_serializers.
        return {
            "id": order.pk,
            "product_id": order.product_id,
            "quantity": order.quantity,
            "status": order.status,
            "created_at": iso_datetime(order.created_at),
            "unit_price": order.unit_price,
            "total_price": order.total_price,
            "updated_at": iso_datetime(order.updated_at),
        }


class OrderCreateSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    """The body of POST /orders."""

    product_id = StrictIntegerField(min_value=1, max_value=MAX_ID)
    quantity = StrictIntegerField(min_value=1, max_value=MAX_COUNT)


class OrderStatusSerializer(
    RejectUnknownFieldsMixin, ClassBuiltFieldsMixin, serializers.ModelSerializer
):
    """The body of PUT/PATCH /orders/{id}: the status, and nothing else."""

    status = serializers.ChoiceField(choices=Order.Status.choices)

    class Meta:
        model = Order
        fields = OrderSerializer.Meta.fields
        read_only_fields = [name for name in fields if name != "status"]
