"""The orders contract (SPEC.md, Orders): status, exact body, state read back."""

import datetime as dt
from datetime import timedelta

import pytest
from django.utils import timezone

from inventory.models import Product
from orders.models import Order

pytestmark = pytest.mark.django_db


def iso(moment) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def body(order: Order) -> dict:
    return {
        "id": order.pk,
        "product_id": order.product_id,
        "quantity": order.quantity,
        "status": order.status,
        "created_at": iso(order.created_at),
        "unit_price": float(order.unit_price),
        "total_price": float(order.total_price),
        "updated_at": iso(order.updated_at),
        "items": [
            {
                "product_id": item.product_id,
                "quantity": item.quantity,
                "unit_price": float(item.unit_price),
                "line_total": float(item.line_total),
            }
            for item in order.item_list
        ],
    }


def stock_of(product: Product) -> int:
    product.refresh_from_db()
    return product.stock


def test_place_returns_201_pending_order_and_reserves_stock(api_client, make_product):
    product = make_product(price="19.99", stock=10)
    response = api_client.post("/orders", {"product_id": product.pk, "quantity": 3})
    assert response.status_code == 201
    order = Order.objects.get()
    assert response.json() == body(order)
    assert response.json()["status"] == "PENDING"
    assert response.json()["unit_price"] == 19.99
    assert response.json()["total_price"] == 59.97
    assert response.json()["created_at"].endswith("Z")
    assert stock_of(product) == 7
    movement = product.movements.get(reason="order_placed")
    assert (movement.delta, movement.order_id) == (-3, order.pk)


def test_place_unknown_product_is_404(api_client):
    response = api_client.post("/orders", {"product_id": 999, "quantity": 1})
    assert response.status_code == 404
    assert response.json() == {"detail": "Product with ID 999 not found"}
    assert not Order.objects.exists()


def test_place_insufficient_stock_is_409_exact_body(api_client, make_product):
    product = make_product(stock=5)
    response = api_client.post("/orders", {"product_id": product.pk, "quantity": 10})
    assert response.status_code == 409
    assert response.json() == {
        "detail": {
            "error": "Insufficient stock",
            "requested": 10,
            "available": 5,
            "product_id": product.pk,
        }
    }
    assert stock_of(product) == 5
    assert not Order.objects.exists()


@pytest.mark.parametrize(
    "payload, errors",
    [
        ({"product_id": 1}, {"quantity": ["This field is required."]}),
        (
            {"product_id": 1, "quantity": 0},
            {"quantity": ["Ensure this value is greater than or equal to 1."]},
        ),
        ({"product_id": 1, "quantity": "2"}, {"quantity": ["A valid integer is required."]}),
        ({"product_id": 1, "quantity": 1, "status": "PAID"}, {"status": ["Unknown field."]}),
    ],
)
def test_place_validation_errors(api_client, make_product, payload, errors):
    make_product()
    response = api_client.post("/orders", payload)
    assert response.status_code == 400
    assert response.json() == {"detail": errors}
    assert not Order.objects.exists()


def test_get_returns_the_order(api_client, product, make_order):
    order = make_order(product, quantity=2)
    response = api_client.get(f"/orders/{order.pk}")
    assert response.status_code == 200
    assert response.json() == body(order)


def test_get_unknown_is_404(api_client):
    response = api_client.get("/orders/999")
    assert response.status_code == 404
    assert response.json() == {"detail": "Order with ID 999 not found"}


def test_list_filters(api_client, make_product, make_order):
    first, second = make_product(), make_product()
    pending = make_order(first)
    paid = make_order(second, status=Order.Status.PAID)
    Order.objects.filter(pk=pending.pk).update(created_at=timezone.now() - timedelta(days=3))
    pending.refresh_from_db()
    assert api_client.get("/orders").json() == [body(pending), body(paid)]
    assert api_client.get("/orders", {"status": "PAID"}).json() == [body(paid)]
    assert api_client.get("/orders", {"product_id": first.pk}).json() == [body(pending)]
    yesterday = iso(timezone.now() - timedelta(days=1))
    assert api_client.get("/orders", {"created_after": yesterday}).json() == [body(paid)]
    assert api_client.get("/orders", {"created_before": yesterday}).json() == [body(pending)]
    assert api_client.get("/orders", {"skip": 1, "limit": 1}).json() == [body(paid)]


def test_list_date_filters_accept_any_valid_utc_offset(api_client, make_product, make_order):
    # Found by schema fuzzing: PostgreSQL refuses offsets beyond ±15:59 (Python allows ±23:59),
    # so a valid ISO 8601 timestamp answered 500 until the filter normalized it to UTC.
    order = make_order(make_product())
    created = order.created_at.astimezone(dt.timezone(dt.timedelta(hours=22, minutes=11)))
    after = api_client.get("/orders", {"created_after": created.isoformat()})
    before = api_client.get("/orders", {"created_before": created.isoformat()})
    assert (after.status_code, before.status_code) == (200, 200)
    assert [o["id"] for o in after.json()] == [order.pk]
    assert before.json() == []


@pytest.mark.parametrize(
    "params, field",
    [
        ({"status": "paid"}, "status"),
        ({"product_id": "one"}, "product_id"),
        ({"product_id": 10**30}, "product_id"),
        ({"created_after": "yesterday"}, "created_after"),
        ({"created_before": "2026-13-01"}, "created_before"),
        ({"limit": 5000}, "limit"),
        # Found by schema fuzzing: empty typed parameters were silently "no filter".
        ({"status": ""}, "status"),
        ({"product_id": ""}, "product_id"),
        ({"created_after": ""}, "created_after"),
        # Found by schema fuzzing: shifting to UTC leaves the datetime range.
        ({"created_before": "0001-01-01T00:00:00+05:00"}, "created_before"),
    ],
)
def test_list_rejects_bad_filters(api_client, params, field):
    response = api_client.get("/orders", params)
    assert response.status_code == 400
    assert list(response.json()["detail"]) == [field]


@pytest.mark.parametrize(
    "start, target",
    [
        (Order.Status.PENDING, Order.Status.PAID),
        (Order.Status.PAID, Order.Status.SHIPPED),
    ],
)
@pytest.mark.parametrize("method", ["put", "patch"])
def test_valid_transition_is_200(api_client, product, make_order, start, target, method):
    order = make_order(product, status=start)
    response = getattr(api_client, method)(f"/orders/{order.pk}", {"status": target})
    assert response.status_code == 200
    order.refresh_from_db()
    assert order.status == target
    assert response.json() == body(order)


@pytest.mark.parametrize(
    "start, target",
    [
        (Order.Status.PENDING, Order.Status.SHIPPED),
        (Order.Status.SHIPPED, Order.Status.PAID),
        (Order.Status.SHIPPED, Order.Status.CANCELED),
        (Order.Status.CANCELED, Order.Status.PAID),
        (Order.Status.PAID, Order.Status.PENDING),
    ],
)
def test_invalid_transition_is_400_exact_body(api_client, product, make_order, start, target):
    order = make_order(product, status=start)
    response = api_client.put(f"/orders/{order.pk}", {"status": target})
    assert response.status_code == 400
    assert response.json() == {
        "detail": {
            "error": "Invalid status transition",
            "current_status": start,
            "requested_status": target,
            "message": f"Cannot transition from {start} to {target}",
        }
    }
    order.refresh_from_db()
    assert order.status == start


@pytest.mark.parametrize("status", list(Order.Status))
def test_put_current_status_is_idempotent_noop(api_client, product, make_order, status):
    order = make_order(product, quantity=2, status=status)
    stock_before = stock_of(product)
    response = api_client.put(f"/orders/{order.pk}", {"status": status})
    assert response.status_code == 200
    assert response.json()["status"] == status
    assert stock_of(product) == stock_before


@pytest.mark.parametrize(
    "payload, errors",
    [
        ({"status": "PAID", "quantity": 5}, {"quantity": ["This field is read-only."]}),
        (
            {"quantity": 5},
            {"status": ["This field is required."], "quantity": ["This field is read-only."]},
        ),
        ({"status": "LOST"}, {"status": ['"LOST" is not a valid choice.']}),
        ({"status": "PAID", "note": "x"}, {"note": ["Unknown field."]}),
    ],
)
def test_update_rejects_anything_but_a_valid_status(
    api_client, product, make_order, payload, errors
):
    order = make_order(product)
    response = api_client.put(f"/orders/{order.pk}", payload)
    assert response.status_code == 400
    assert response.json() == {"detail": errors}
    order.refresh_from_db()
    assert (order.status, order.quantity) == ("PENDING", 1)


def test_update_unknown_order_is_404(api_client):
    response = api_client.put("/orders/999", {"status": "PAID"})
    assert response.status_code == 404
    assert response.json() == {"detail": "Order with ID 999 not found"}


@pytest.mark.parametrize("start", [Order.Status.PENDING, Order.Status.PAID])
def test_delete_cancels_and_restores_stock(api_client, make_product, make_order, start):
    product = make_product(stock=10)
    order = make_order(product, quantity=4, status=start)
    assert stock_of(product) == 6
    response = api_client.delete(f"/orders/{order.pk}")
    assert response.status_code == 204
    assert response.content == b""
    order.refresh_from_db()
    assert order.status == "CANCELED"
    assert stock_of(product) == 10
    assert product.movements.get(reason="order_canceled").delta == 4


def test_put_canceled_restores_stock_like_delete(api_client, make_product, make_order):
    product = make_product(stock=10)
    order = make_order(product, quantity=4, status=Order.Status.PAID)
    response = api_client.put(f"/orders/{order.pk}", {"status": "CANCELED"})
    assert response.status_code == 200
    assert response.json()["status"] == "CANCELED"
    assert stock_of(product) == 10


@pytest.mark.parametrize("start", [Order.Status.SHIPPED, Order.Status.CANCELED])
def test_delete_final_order_is_400_exact_body(api_client, make_product, make_order, start):
    product = make_product(stock=10)
    order = make_order(product, quantity=4, status=start)
    stock_before = stock_of(product)
    response = api_client.delete(f"/orders/{order.pk}")
    assert response.status_code == 400
    assert response.json() == {
        "detail": {
            "error": "Order cannot be canceled",
            "current_status": start,
            "message": f"Orders with status {start} cannot be canceled",
        }
    }
    order.refresh_from_db()
    assert order.status == start
    assert stock_of(product) == stock_before


def test_delete_unknown_order_is_404(api_client):
    response = api_client.delete("/orders/999")
    assert response.status_code == 404
    assert response.json() == {"detail": "Order with ID 999 not found"}


def test_cancel_of_order_on_archived_product_restores_its_stock(
    api_client, make_product, make_order
):
    product = make_product(stock=10)
    order = make_order(product, quantity=4)
    api_client.delete(f"/products/{product.pk}")
    assert api_client.delete(f"/orders/{order.pk}").status_code == 204
    assert stock_of(product) == 10


def test_order_keeps_its_price_when_product_is_repriced(api_client, make_product, make_order):
    product = make_product(price="10.00")
    order = make_order(product, quantity=3)
    api_client.put(f"/products/{product.pk}", {"price": 12.5})
    response = api_client.get(f"/orders/{order.pk}")
    assert (response.json()["unit_price"], response.json()["total_price"]) == (10.0, 30.0)
