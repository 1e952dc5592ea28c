"""OrderSerializer's hand-built representation says exactly what DRF's fields would say."""

import datetime as dt
from zoneinfo import ZoneInfo

from rest_framework import serializers

from orders.models import Order
from orders.serializers import OrderSerializer
from webstore.api.renderers import JSONRenderer


def _field_by_field(order: Order) -> bytes:
    """DRF's generic output: every declared field's own to_representation."""
    fields_output = serializers.ModelSerializer.to_representation(OrderSerializer(), order)
    return JSONRenderer().render(fields_output)


def test_representation_matches_the_fields_output(make_product, make_order):
    placed = make_order(make_product(price="9.9", stock=10), quantity=3)
    read_back = Order.objects.get(pk=placed.pk)
    for order in (placed, read_back):
        assert JSONRenderer().render(OrderSerializer(order).data) == _field_by_field(order)


def test_timestamps_in_other_zones_or_without_microseconds_match(make_product, make_order):
    order = make_order(make_product(price="19.99", stock=10))
    order.created_at = dt.datetime(2026, 7, 1, 14, 30, tzinfo=ZoneInfo("Europe/Berlin"))
    minus_seven = dt.timezone(dt.timedelta(hours=-7))
    order.updated_at = dt.datetime(2026, 11, 28, 5, 0, 0, 120, tzinfo=minus_seven)

    data = OrderSerializer(order).data

    assert data["created_at"] == "2026-07-01T12:30:00Z"
    assert data["updated_at"] == "2026-11-28T12:00:00.000120Z"
    assert JSONRenderer().render(data) == _field_by_field(order)
    assert list(data) == OrderSerializer.Meta.fields
