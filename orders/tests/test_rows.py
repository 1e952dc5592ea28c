"""Every order the API shows is an ORDER_ROW of ITEM_ROWs: fields declared once, as the schema says."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from rest_framework import serializers

from orders.models import Order
from orders.selectors import ITEM_ROW, ORDER_ROW, order_row_of
from orders.serializers import OrderItemSerializer, OrderSerializer
from webstore.api.renderers import JSONRenderer

pytestmark = pytest.mark.django_db


def _field_by_field(order: Order) -> bytes:
    """DRF's generic output of the order's serializer: each field's own to_representation."""
    return JSONRenderer().render(
        serializers.ModelSerializer.to_representation(OrderSerializer(), order)
    )


def test_the_serializers_declare_the_rows_fields():
    assert OrderSerializer.Meta.fields is ORDER_ROW.fields
    assert OrderItemSerializer.Meta.fields is ITEM_ROW.fields
    assert (
        tuple(OrderSerializer().fields)
        == ORDER_ROW.fields
        == (
            "id",
            "product_id",
            "quantity",
            "status",
            "created_at",
            "unit_price",
            "total_price",
            "updated_at",
            "items",
        )
    )
    assert (
        tuple(OrderItemSerializer().fields)
        == ITEM_ROW.fields
        == (
            "product_id",
            "quantity",
            "unit_price",
            "line_total",
        )
    )
    assert ORDER_ROW.columns == ("id", "status", "created_at", "updated_at")
    assert ITEM_ROW.columns == ("product_id", "quantity", "unit_price")


@pytest.mark.parametrize("prices", [["9.9"], ["0.01", "19.99", "99999999.99"], ["100", "2.5"]])
def test_reads_and_writes_answer_what_the_serializers_fields_would(
    api_client, make_product, prices
):
    products = [make_product(price=price, stock=10) for price in prices]
    cart = {"items": [{"product_id": p.pk, "quantity": n + 2} for n, p in enumerate(products)]}
    created = api_client.post("/orders", cart, format="json")
    order = Order.objects.get(pk=created.json()["id"])
    expected = _field_by_field(order)

    assert created.content == expected
    assert api_client.get(f"/orders/{order.pk}").content == expected
    assert api_client.get("/orders").content == b"[" + expected + b"]"
    listed = api_client.get("/orders", {"product_id": products[0].pk, "status": "PENDING"})
    assert listed.content == b"[" + expected + b"]"
    paid = api_client.patch(f"/orders/{order.pk}", {"status": "PAID"}, format="json")
    assert paid.content == _field_by_field(Order.objects.get(pk=order.pk))
    assert api_client.get(f"/orders/{order.pk}").content == paid.content


def test_timestamps_in_other_zones_or_without_microseconds_match(make_product, make_order):
    order = make_order(make_product(price="19.99", stock=10))
    order.created_at = dt.datetime(2026, 7, 1, 14, 30, tzinfo=ZoneInfo("Europe/Berlin"))
    minus_seven = dt.timezone(dt.timedelta(hours=-7))
    order.updated_at = dt.datetime(2026, 11, 28, 5, 0, 0, 120, tzinfo=minus_seven)
    order.item_list = list(order.items.all())

    row = order_row_of(order)

    assert row["created_at"] == "2026-07-01T12:30:00Z"
    assert row["updated_at"] == "2026-11-28T12:00:00.000120Z"
    assert JSONRenderer().render(row) == _field_by_field(order)


def test_every_answer_takes_its_fields_from_the_one_declaration(
    api_client, make_product, make_order, monkeypatch
):
    """The declarations' fields, in their order, are every read's and every write's answer."""
    status_first = ("status", *(name for name in ORDER_ROW.fields if name != "status"))
    monkeypatch.setattr(ORDER_ROW, "fields", status_first)
    monkeypatch.setattr(ITEM_ROW, "fields", ("id", *ITEM_ROW.fields))
    first, second = make_product(stock=10), make_product(stock=10)
    order = make_order(items=[(first, 1), (second, 2)])
    cart = {"items": [{"product_id": first.pk, "quantity": 1}]}

    answers = {
        "list": api_client.get("/orders").json()[0],
        "filtered list": api_client.get("/orders", {"status": "PENDING"}).json()[0],
        "detail": api_client.get(f"/orders/{order.pk}").json(),
        "create": api_client.post("/orders", cart, format="json").json(),
        "create (one product)": api_client.post(
            "/orders", {"product_id": second.pk, "quantity": 1}, format="json"
        ).json(),
        "update": api_client.put(f"/orders/{order.pk}", {"status": "PAID"}, format="json").json(),
    }
    assert answers["update"]["status"] == "PAID"

    for name, answer in answers.items():
        assert tuple(answer) == status_first, name
        stored = Order.objects.get(pk=answer["id"])
        assert [item["id"] for item in answer["items"]] == [item.pk for item in stored.items.all()]
        assert all(tuple(item) == ("id", *ITEM_ROW.fields[1:]) for item in answer["items"])
