"""Orders with several items (SPEC.md, "Orders with several items"): status, exact body, state.

Each write test reads back the stock, the ledger and the orders; a refused request must leave
all three as they were.
"""

from decimal import Decimal

import pytest

from inventory.models import Product, StockMovement
from orders.models import Order, OrderItem
from orders.serializers import MAX_ORDER_ITEMS

pytestmark = pytest.mark.django_db


def iso(moment) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def stocks(*products: Product) -> list[int]:
    return [Product.objects.get(pk=product.pk).stock for product in products]


def ledger() -> list[tuple]:
    """Every order movement: (order id, product id, delta, reason), in write order."""
    rows = StockMovement.objects.exclude(order_id=None).order_by("pk")
    return list(rows.values_list("order_id", "product_id", "delta", "reason"))


def nothing_written(*products: Product, stock: list[int]) -> bool:
    return (
        not Order.objects.exists()
        and not OrderItem.objects.exists()
        and ledger() == []
        and stocks(*products) == stock
    )


@pytest.fixture
def shelf(make_product):
    """Three products, created in id order: 10 × 19.99, 5 × 2.50, 3 × 100.00."""
    return [
        make_product(price="19.99", stock=10),
        make_product(price="2.50", stock=5),
        make_product(price="100.00", stock=3),
    ]


def cart(*lines) -> dict:
    return {"items": [{"product_id": p.pk, "quantity": q} for p, q in lines]}


def test_a_cart_is_one_order_with_its_items_in_the_order_sent(api_client, shelf):
    laptop, cable, dock = shelf
    response = api_client.post("/orders", cart((dock, 1), (laptop, 2), (cable, 4)))
    assert response.status_code == 201
    order = Order.objects.get()
    assert response.json() == {
        "id": order.pk,
        "product_id": None,
        "quantity": 7,
        "status": "PENDING",
        "created_at": iso(order.created_at),
        "unit_price": None,
        "total_price": 149.98,
        "updated_at": iso(order.updated_at),
        "items": [
            {"product_id": dock.pk, "quantity": 1, "unit_price": 100.0, "line_total": 100.0},
            {"product_id": laptop.pk, "quantity": 2, "unit_price": 19.99, "line_total": 39.98},
            {"product_id": cable.pk, "quantity": 4, "unit_price": 2.5, "line_total": 10.0},
        ],
    }
    assert stocks(laptop, cable, dock) == [8, 1, 2]
    assert sorted(ledger()) == sorted(
        [
            (order.pk, dock.pk, -1, "order_placed"),
            (order.pk, laptop.pk, -2, "order_placed"),
            (order.pk, cable.pk, -4, "order_placed"),
        ]
    )
    items = OrderItem.objects.filter(order=order).order_by("pk")
    assert list(items.values_list("product_id", "quantity", "unit_price")) == [
        (dock.pk, 1, Decimal("100.00")),
        (laptop.pk, 2, Decimal("19.99")),
        (cable.pk, 4, Decimal("2.50")),
    ]


def test_a_cart_of_one_item_is_answered_like_the_original_form(api_client, shelf):
    laptop = shelf[0]
    by_items = api_client.post("/orders", cart((laptop, 3))).json()
    original = api_client.post("/orders", {"product_id": laptop.pk, "quantity": 3}).json()
    for answer in (by_items, original):
        assert (answer["product_id"], answer["quantity"]) == (laptop.pk, 3)
        assert (answer["unit_price"], answer["total_price"]) == (19.99, 59.97)
        assert answer["items"] == [
            {"product_id": laptop.pk, "quantity": 3, "unit_price": 19.99, "line_total": 59.97}
        ]
    assert stocks(laptop) == [4]


def test_the_largest_cart_is_accepted(api_client, make_product):
    products = [make_product(price="1.00", stock=1) for _ in range(MAX_ORDER_ITEMS)]
    response = api_client.post("/orders", cart(*((p, 1) for p in reversed(products))))
    assert response.status_code == 201
    assert [item["product_id"] for item in response.json()["items"]] == [
        p.pk for p in reversed(products)
    ]
    assert response.json()["total_price"] == float(MAX_ORDER_ITEMS)
    assert set(Product.objects.values_list("stock", flat=True)) == {0}


BOTH_FORMS = {"items": ["Send either items or product_id and quantity, not both."]}


@pytest.mark.parametrize(
    "payload, errors",
    [
        (
            {"product_id": 1, "quantity": 1, "items": [{"product_id": 1, "quantity": 1}]},
            BOTH_FORMS,
        ),
        ({"product_id": 1, "items": [{"product_id": 1, "quantity": 1}]}, BOTH_FORMS),
        ({"quantity": 1, "items": []}, BOTH_FORMS),
        ({"items": []}, {"items": ["This list may not be empty."]}),
        ({"items": "1,2"}, {"items": ['Expected a list of items but got type "str".']}),
        (
            {"items": {"product_id": 1, "quantity": 1}},
            {"items": ['Expected a list of items but got type "dict".']},
        ),
        ({"items": None}, {"items": ["This field may not be null."]}),
        (
            {"items": [{"product_id": 1, "quantity": 1}, 7]},
            {
                "items": {
                    "1": {"non_field_errors": ["Invalid data. Expected a dictionary, but got int."]}
                }
            },
        ),
        (
            {"items": [{"product_id": 1, "quantity": 1}, {"product_id": 2}]},
            {"items": {"1": {"quantity": ["This field is required."]}}},
        ),
        (
            {"items": [{"product_id": 1, "quantity": 0}, {"product_id": 2, "quantity": "3"}]},
            {
                "items": {
                    "0": {"quantity": ["Ensure this value is greater than or equal to 1."]},
                    "1": {"quantity": ["A valid integer is required."]},
                }
            },
        ),
        (
            {"items": [{"product_id": True, "quantity": 1.5}]},
            {
                "items": {
                    "0": {
                        "product_id": ["A valid integer is required."],
                        "quantity": ["A valid integer is required."],
                    }
                }
            },
        ),
        (
            {"items": [{"product_id": 2**63, "quantity": 2**31}]},
            {
                "items": {
                    "0": {
                        "product_id": [
                            "Ensure this value is less than or equal to 9223372036854775807."
                        ],
                        "quantity": ["Ensure this value is less than or equal to 2147483647."],
                    }
                }
            },
        ),
        (
            {"items": [{"product_id": 1, "quantity": 1, "unit_price": 0.01}]},
            {"items": {"0": {"unit_price": ["Unknown field."]}}},
        ),
        (
            {"items": [{"product_id": 1, "quantity": 1}], "status": "PAID"},
            {"status": ["Unknown field."]},
        ),
        (
            {
                "items": [
                    {"product_id": 1, "quantity": 1},
                    {"product_id": 2, "quantity": 1},
                    {"product_id": 1, "quantity": 2},
                    {"product_id": 2, "quantity": 5},
                ]
            },
            {
                "items": {
                    "2": {"product_id": ["Duplicate product_id in this request."]},
                    "3": {"product_id": ["Duplicate product_id in this request."]},
                }
            },
        ),
    ],
    ids=[
        "both-forms",
        "items-and-product-id",
        "items-and-quantity",
        "empty",
        "string",
        "object",
        "null",
        "item-not-object",
        "item-missing-quantity",
        "item-bad-quantities",
        "item-wrong-types",
        "item-out-of-range",
        "item-unknown-field",
        "unknown-top-field",
        "same-product-twice",
    ],
)
def test_bad_carts_are_400_with_the_reason_and_write_nothing(api_client, shelf, payload, errors):
    response = api_client.post("/orders", payload, format="json")
    assert response.status_code == 400
    assert response.json() == {"detail": errors}
    assert nothing_written(*shelf, stock=[10, 5, 3])


def test_more_than_the_largest_cart_is_400(api_client, shelf):
    payload = {"items": [{"product_id": n, "quantity": 1} for n in range(1, MAX_ORDER_ITEMS + 2)]}
    response = api_client.post("/orders", payload)
    assert response.status_code == 400
    assert response.json() == {
        "detail": {"items": ["Ensure this field has no more than 100 elements."]}
    }
    assert nothing_written(*shelf, stock=[10, 5, 3])


def test_the_lowest_missing_or_archived_product_is_the_404(api_client, shelf, make_product):
    laptop, cable, dock = shelf
    archived = make_product(stock=10)
    api_client.delete(f"/products/{archived.pk}")
    missing = archived.pk + 1000
    # The cart also asks too much of the dock: a missing product is reported first.
    payload = cart((laptop, 1), (dock, 99))
    payload["items"][1:1] = [
        {"product_id": missing, "quantity": 1},
        {"product_id": archived.pk, "quantity": 1},
    ]
    response = api_client.post("/orders", payload)
    assert response.status_code == 404
    assert response.json() == {"detail": f"Product with ID {archived.pk} not found"}
    assert nothing_written(laptop, cable, dock, stock=[10, 5, 3])


def test_the_lowest_product_short_of_stock_is_the_409(api_client, shelf):
    laptop, cable, dock = shelf
    response = api_client.post("/orders", cart((dock, 4), (laptop, 10), (cable, 6)))
    assert response.status_code == 409
    assert response.json() == {
        "detail": {
            "error": "Insufficient stock",
            "requested": 6,
            "available": 5,
            "product_id": cable.pk,
        }
    }
    assert nothing_written(*shelf, stock=[10, 5, 3])


@pytest.fixture
def placed_cart(api_client, shelf):
    laptop, cable, dock = shelf
    response = api_client.post("/orders", cart((cable, 5), (laptop, 2), (dock, 3)))
    assert response.status_code == 201
    return Order.objects.get(pk=response.json()["id"])


@pytest.mark.parametrize(
    "cancel",
    [
        lambda client, pk: client.delete(f"/orders/{pk}"),
        lambda client, pk: client.put(f"/orders/{pk}", {"status": "CANCELED"}),
        lambda client, pk: client.patch(f"/orders/{pk}", {"status": "CANCELED"}),
    ],
    ids=["delete", "put", "patch"],
)
@pytest.mark.parametrize("start", ["PENDING", "PAID"])
def test_canceling_a_cart_restocks_every_item_once(api_client, shelf, placed_cart, cancel, start):
    if start == "PAID":
        assert api_client.put(f"/orders/{placed_cart.pk}", {"status": "PAID"}).status_code == 200
    assert stocks(*shelf) == [8, 0, 0]
    assert cancel(api_client, placed_cart.pk).status_code in (200, 204)
    assert cancel(api_client, placed_cart.pk).status_code in (200, 400)
    assert stocks(*shelf) == [10, 5, 3]
    laptop, cable, dock = shelf
    restocks = [row for row in ledger() if row[3] == "order_canceled"]
    assert sorted(restocks) == sorted(
        [
            (placed_cart.pk, cable.pk, 5, "order_canceled"),
            (placed_cart.pk, laptop.pk, 2, "order_canceled"),
            (placed_cart.pk, dock.pk, 3, "order_canceled"),
        ]
    )
    assert api_client.get(f"/orders/{placed_cart.pk}").json()["status"] == "CANCELED"


def test_a_shipped_cart_is_not_canceled_and_keeps_its_stock_out(api_client, shelf, placed_cart):
    for status in ("PAID", "SHIPPED"):
        api_client.put(f"/orders/{placed_cart.pk}", {"status": status})
    response = api_client.delete(f"/orders/{placed_cart.pk}")
    assert response.status_code == 400
    assert response.json()["detail"]["current_status"] == "SHIPPED"
    assert stocks(*shelf) == [8, 0, 0]


def test_get_and_list_show_the_items_in_the_order_sent(api_client, shelf, placed_cart):
    laptop, cable, dock = shelf
    expected = [
        {"product_id": cable.pk, "quantity": 5, "unit_price": 2.5, "line_total": 12.5},
        {"product_id": laptop.pk, "quantity": 2, "unit_price": 19.99, "line_total": 39.98},
        {"product_id": dock.pk, "quantity": 3, "unit_price": 100.0, "line_total": 300.0},
    ]
    detail = api_client.get(f"/orders/{placed_cart.pk}").json()
    assert detail["items"] == expected
    assert (detail["quantity"], detail["total_price"]) == (10, 352.48)
    assert api_client.get("/orders").json() == [detail]
    updated = api_client.put(f"/orders/{placed_cart.pk}", {"status": "PAID"}).json()
    assert updated["items"] == expected


def test_the_product_filter_lists_the_orders_that_contain_it(api_client, shelf, make_order):
    laptop, cable, dock = shelf
    both = make_order(items=[(laptop, 1), (cable, 1)])
    cable_only = make_order(cable)
    dock_only = make_order(dock)

    def listed(product):
        response = api_client.get("/orders", {"product_id": product.pk})
        assert response.status_code == 200
        return [order["id"] for order in response.json()]

    assert listed(laptop) == [both.pk]
    assert listed(cable) == [both.pk, cable_only.pk]
    assert listed(dock) == [dock_only.pk]
    paged = api_client.get("/orders", {"product_id": cable.pk, "skip": 1, "limit": 1}).json()
    assert [order["id"] for order in paged] == [cable_only.pk]


def test_a_price_change_leaves_placed_items_alone(api_client, shelf, placed_cart):
    laptop = shelf[0]
    api_client.patch(f"/products/{laptop.pk}", {"price": "25.00"})
    detail = api_client.get(f"/orders/{placed_cart.pk}").json()
    assert detail["items"][1]["unit_price"] == 19.99
    assert detail["total_price"] == 352.48


def test_the_idempotency_key_replays_a_cart(api_client, shelf):
    laptop, cable, _ = shelf
    payload = cart((laptop, 1), (cable, 1))
    first = api_client.post("/orders", payload, HTTP_IDEMPOTENCY_KEY="cart-1")
    again = api_client.post("/orders", payload, HTTP_IDEMPOTENCY_KEY="cart-1")
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert Order.objects.count() == 1
    assert stocks(laptop, cable) == [9, 4]
