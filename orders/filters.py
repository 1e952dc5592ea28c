"""Query filters for the order list."""

from django_filters import rest_framework as filters

from orders.models import Order
from webstore.api.filters import IdFilter, StrictChoiceFilter, UtcDateTimeFilter


class OrderFilter(filters.FilterSet):
    status = StrictChoiceFilter(choices=Order.Status.choices)
    # Each product is at most one item of an order, so the join repeats no order.
    product_id = IdFilter(
        field_name="items__product_id", help_text="Orders that contain this product."
    )
    created_after = UtcDateTimeFilter(
        field_name="created_at", lookup_expr="gte", help_text="ISO 8601; inclusive."
    )
    created_before = UtcDateTimeFilter(
        field_name="created_at", lookup_expr="lt", help_text="ISO 8601; exclusive."
    )

    class Meta:
        model = Order
        fields = ["status", "product_id", "created_after", "created_before"]
