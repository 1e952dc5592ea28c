"""Order request validation and response shape."""

from collections.abc import Mapping

from rest_framework import serializers
from rest_framework.settings import api_settings

from orders.models import MAX_ORDER_ITEMS, Order, OrderItem
from orders.selectors import ITEM_ROW, ORDER_ROW
from webstore.api.fields import (
    MAX_COUNT,
    MAX_ID,
    IndexedListSerializer,
    RejectUnknownFieldsMixin,
    StrictIntegerField,
)

BOTH_FORMS = "Send either items or product_id and quantity, not both."
NON_FIELD_ERRORS = api_settings.NON_FIELD_ERRORS_KEY


class OrderItemSerializer(serializers.ModelSerializer):
    """An item of an order as the API shows it (ITEM_ROW): the schema's description of it."""

    line_total = serializers.DecimalField(max_digits=20, decimal_places=2, read_only=True)

    class Meta:
        model = OrderItem
        fields = ITEM_ROW.fields
        read_only_fields = fields


class OrderSerializer(serializers.ModelSerializer):
    """An order as the API shows it (ORDER_ROW), `items` in the order they were sent.

    The schema's description of the rows the selectors read; answers never go through it.
    """

    product_id = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="The product of a one-item order, else null."
    )
    quantity = serializers.IntegerField(read_only=True, help_text="Units over all items.")
    unit_price = serializers.DecimalField(
        max_digits=10,
        decimal_places=2,
        read_only=True,
        allow_null=True,
        help_text="A one-item order's price per unit when ordered, else null.",
    )
    total_price = serializers.DecimalField(
        max_digits=20, decimal_places=2, read_only=True, help_text="The sum of the line totals."
    )
    items = OrderItemSerializer(many=True, read_only=True, source="item_list")

    class Meta:
        model = Order
        fields = ORDER_ROW.fields
        read_only_fields = fields


class OrderItemListSerializer(IndexedListSerializer):
    """A cart's items; a product may appear once.

    An error of the list itself (not a list, empty, too long) is the field's own message list,
    `{"items": ["This list may not be empty."]}`, as for any other field.
    """

    unique_field = "product_id"

    def to_internal_value(self, data):
        try:
            return super().to_internal_value(data)
        except serializers.ValidationError as exc:
            if isinstance(exc.detail, Mapping) and exc.detail.keys() == {NON_FIELD_ERRORS}:
                raise serializers.ValidationError(exc.detail[NON_FIELD_ERRORS]) from exc
            raise


class OrderLineSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    """One product and how many units of it: an item of a cart, or the original one-product body."""

    product_id = StrictIntegerField(min_value=1, max_value=MAX_ID)
    quantity = StrictIntegerField(min_value=1, max_value=MAX_COUNT)

    class Meta:
        list_serializer_class = OrderItemListSerializer


class OrderCartSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    """The body of POST /orders as a cart: its items, each product at most once."""

    items = OrderLineSerializer(many=True, allow_empty=False, max_length=MAX_ORDER_ITEMS)


class OrderCreateSerializer(serializers.Serializer):
    """The body of POST /orders: a cart (`items`), or one product as the original clients send.

    Either form validates to `{"items": [{"product_id", "quantity"}, ...]}` in the order sent;
    the one-product form is answered with exactly its original errors.
    """

    def to_internal_value(self, data):
        if not (isinstance(data, Mapping) and "items" in data):
            return {"items": [_valid(OrderLineSerializer, data)]}
        if data.keys() & {"product_id", "quantity"}:
            raise serializers.ValidationError({"items": [BOTH_FORMS]})
        return _valid(OrderCartSerializer, data)


def _valid(serializer_class: type[serializers.Serializer], data) -> dict:
    body = serializer_class(data=data)
    body.is_valid(raise_exception=True)
    return body.validated_data


class OrderStatusSerializer(RejectUnknownFieldsMixin, serializers.ModelSerializer):
    """The body of PUT/PATCH /orders/{id}: the status, and nothing else."""

    status = serializers.ChoiceField(choices=Order.Status.choices)
    # Never partial: a PATCH changes the one field there is, so `status` is required for PATCH
    # as for PUT, in validation and in the schema (drf-spectacular sets `partial` for PATCH).
    partial = property(lambda self: False, lambda self, value: None)

    class Meta:
        model = Order
        fields = OrderSerializer.Meta.fields
        read_only_fields = [name for name in fields if name != "status"]
