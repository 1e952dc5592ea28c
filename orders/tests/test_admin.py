"""The order admin, driven as a logged-in store-staff user: list, filters, ship and cancel."""

import csv
import io
from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from inventory.models import Product, StockMovement
from orders.models import Order

pytestmark = pytest.mark.django_db

ORDERS = "/admin/orders/order/"


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def listed_ids(response) -> list[int]:
    return [order.pk for order in response.context["cl"].result_list]


@pytest.fixture
def orders_by_status(product, make_order):
    return {status: make_order(product, quantity=2, status=status) for status in Order.Status}


def test_changelist_shows_products_items_units_total_status_and_created(
    staff_client, product, make_order
):
    order = make_order(product, quantity=3)
    response = staff_client.get(ORDERS)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<td class="field-products">PROD-001 — Laptop</td>' in html
    assert '<td class="field-item_count">1</td>' in html
    assert '<td class="field-units">3</td>' in html
    assert '<td class="field-total">2999.97</td>' in html
    assert '<td class="field-status">Pending</td>' in html
    assert '<td class="field-created_at nowrap">' in html
    assert listed_ids(response) == [order.pk]


@pytest.mark.parametrize("status", list(Order.Status))
def test_status_filter(staff_client, orders_by_status, status):
    response = staff_client.get(ORDERS, {"status__exact": status})
    assert listed_ids(response) == [orders_by_status[status].pk]


def test_date_filter_and_hierarchy(staff_client, orders_by_status):
    old = orders_by_status[Order.Status.PAID]
    Order.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=400))
    page = staff_client.get(ORDERS)
    date_filter = next(
        spec for spec in page.context["cl"].filter_specs if spec.title == "created at"
    )
    past_week = next(
        c for c in date_filter.choices(page.context["cl"]) if c["display"] == "Past 7 days"
    )
    response = staff_client.get(ORDERS + past_week["query_string"])
    assert response.status_code == 200
    assert sorted(listed_ids(response)) == sorted(
        o.pk for o in orders_by_status.values() if o != old
    )
    last_year = (timezone.now() - timedelta(days=400)).year
    response = staff_client.get(ORDERS, {"created_at__year": last_year})
    assert listed_ids(response) == [old.pk]


@pytest.mark.parametrize("term", ["PROD-001", "laptop"])
def test_search_by_product(staff_client, orders_by_status, make_product, make_order, term):
    make_order(make_product(sku="OTHER", name="Mouse"))
    response = staff_client.get(ORDERS, {"q": term})
    assert sorted(listed_ids(response)) == sorted(o.pk for o in orders_by_status.values())


def test_search_by_order_id_and_a_non_numeric_term_never_fails(staff_client, orders_by_status):
    paid = orders_by_status[Order.Status.PAID]
    assert listed_ids(staff_client.get(ORDERS, {"q": str(paid.pk)})) == [paid.pk]
    response = staff_client.get(ORDERS, {"q": "nonsense"})
    assert response.status_code == 200
    assert listed_ids(response) == []


def test_mark_shipped_ships_paid_orders_and_reports_the_rest(staff_client, orders_by_status):
    ids = {status: order.pk for status, order in orders_by_status.items()}
    response = staff_client.post(
        ORDERS, {"action": "mark_shipped", "_selected_action": list(ids.values())}, follow=True
    )
    assert response.status_code == 200
    assert messages_of(response) == [
        f"order {ids['PENDING']} is PENDING and cannot be shipped",
        f"order {ids['SHIPPED']} is SHIPPED and cannot be shipped",
        f"order {ids['CANCELED']} is CANCELED and cannot be shipped",
        "1 order marked shipped.",
    ]
    statuses = dict(Order.objects.values_list("pk", "status"))
    assert statuses == {
        ids["PENDING"]: "PENDING",
        ids["PAID"]: "SHIPPED",
        ids["SHIPPED"]: "SHIPPED",
        ids["CANCELED"]: "CANCELED",
    }


def test_cancel_restocks_like_the_api_and_reports_each_failure(
    staff_client, product, orders_by_status
):
    ids = {status: order.pk for status, order in orders_by_status.items()}
    product.refresh_from_db()
    stock_before = product.stock
    response = staff_client.post(
        ORDERS, {"action": "cancel_orders", "_selected_action": list(ids.values())}, follow=True
    )
    assert response.status_code == 200
    assert messages_of(response) == [
        f"order {ids['SHIPPED']} is SHIPPED and cannot be canceled",
        f"order {ids['CANCELED']} is CANCELED and cannot be canceled",
        "2 orders canceled.",
    ]
    product.refresh_from_db()
    assert product.stock == stock_before + 4
    restocks = product.movements.filter(reason="order_canceled", actor="clerk")
    assert sorted(restocks.values_list("order_id", "delta")) == [
        (ids["PENDING"], 2),
        (ids["PAID"], 2),
    ]
    assert Order.objects.get(pk=ids["PAID"]).status == "CANCELED"


def test_order_page_is_read_only(staff_client, orders_by_status):
    order = orders_by_status[Order.Status.PENDING]
    response = staff_client.get(f"{ORDERS}{order.pk}/change/")
    assert response.status_code == 200
    assert response.context["has_change_permission"] is False
    response = staff_client.post(f"{ORDERS}{order.pk}/change/", {"status": "SHIPPED"})
    assert response.status_code == 403
    assert staff_client.get(f"{ORDERS}add/").status_code == 403
    assert staff_client.get(f"{ORDERS}{order.pk}/delete/").status_code == 403
    order.refresh_from_db()
    assert order.status == "PENDING"


def test_changelist_query_count_does_not_grow_with_rows(staff_client, make_product, make_order):
    def queries_for_page() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = staff_client.get(ORDERS)
        assert response.status_code == 200
        return len(captured)

    products = [make_product(stock=1000) for _ in range(5)]
    for product in products:
        make_order(product)
    few = queries_for_page()
    for product in products:
        for _ in range(9):
            make_order(product, quantity=1)
    assert Order.objects.count() == 50
    assert queries_for_page() == few


@pytest.fixture
def cart(make_product, make_order):
    """A cart of three products, sent in the order dock, laptop, cable."""
    laptop = make_product(sku="LAP-1", name="Laptop", price="999.99", stock=10)
    cable = make_product(sku="CAB-1", name="Cable", price="9.99", stock=10)
    dock = make_product(sku="DOC-1", name="Dock", price="129.00", stock=10)
    return make_order(items=[(dock, 1), (laptop, 2), (cable, 3)])


def test_changelist_shows_a_carts_products_item_count_units_and_total(staff_client, cart):
    html = staff_client.get(ORDERS).content.decode()
    assert '<td class="field-products">DOC-1 — Dock, LAP-1 — Laptop, CAB-1 — Cable</td>' in html
    assert '<td class="field-item_count">3</td>' in html
    assert '<td class="field-units">6</td>' in html
    assert '<td class="field-total">2158.95</td>' in html


@pytest.mark.parametrize("column", ["item_count", "units", "total"])
def test_changelist_sorts_by_item_count_units_and_total(
    staff_client, cart, product, make_order, column
):
    single = make_order(product, quantity=1)
    # `o` indexes the columns as shown: the action checkbox first.
    index = ["action_checkbox", "id", "products", "item_count", "units", "total"].index(column)
    ascending = staff_client.get(ORDERS, {"o": str(index)})
    descending = staff_client.get(ORDERS, {"o": f"-{index}"})
    assert listed_ids(ascending) == [single.pk, cart.pk]
    assert listed_ids(descending) == [cart.pk, single.pk]


def test_search_finds_a_cart_by_any_of_its_products_once(staff_client, cart):
    for term in ("LAP-1", "cable", "Dock"):
        assert listed_ids(staff_client.get(ORDERS, {"q": term})) == [cart.pk]
    assert listed_ids(staff_client.get(ORDERS, {"q": "-1"})) == [cart.pk]


def test_order_page_lists_its_items_read_only_in_the_order_sent(staff_client, cart):
    response = staff_client.get(f"{ORDERS}{cart.pk}/change/")
    assert response.status_code == 200
    [inline] = response.context["inline_admin_formsets"]
    rows = [
        [field.contents() for fieldset in form for line in fieldset for field in line]
        for form in inline
    ]
    dock, laptop, cable = (item.product for item in cart.item_list)

    def link(product) -> str:
        return f'<a href="/admin/inventory/product/{product.pk}/change/">{product}</a>'

    assert rows == [
        [link(dock), "1", "129.00", "129.00"],
        [link(laptop), "2", "999.99", "1999.98"],
        [link(cable), "3", "9.99", "29.97"],
    ]
    assert inline.has_add_permission is False
    assert inline.has_change_permission is False
    assert inline.has_delete_permission is False
    html = response.content.decode()
    assert "2158.95" in html
    assert 'name="items-0-quantity"' not in html


def test_changelist_query_count_does_not_grow_with_items(staff_client, make_product, make_order):
    def queries_for_page() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = staff_client.get(ORDERS)
        assert response.status_code == 200
        return len(captured)

    products = [make_product(stock=1000) for _ in range(5)]
    make_order(products[0])
    few = queries_for_page()
    for _ in range(20):
        make_order(items=[(p, 1) for p in products])
    assert queries_for_page() == few


def test_cancel_action_restocks_every_item_of_a_cart(staff_client, cart):
    response = staff_client.post(
        ORDERS, {"action": "cancel_orders", "_selected_action": [cart.pk]}, follow=True
    )
    assert messages_of(response) == ["1 order canceled."]
    stocks = dict(
        StockMovement.objects.filter(order_id=cart.pk, reason="order_canceled").values_list(
            "product__sku", "delta"
        )
    )
    assert stocks == {"DOC-1": 1, "LAP-1": 2, "CAB-1": 3}
    assert sorted(Product.objects.values_list("stock", flat=True)) == [10, 10, 10]


# --- CSV export: one row per item -----------------------------------------------------------

EXPORT_COLUMNS = [
    "order_id",
    "created_at",
    "status",
    "order_total",
    "sku",
    "product",
    "quantity",
    "unit_price",
    "line_total",
]


def export_rows(client, query: str = "") -> list[dict]:
    fields = {f"orderitemresource_{name}": "on" for name in EXPORT_COLUMNS}
    response = client.post(f"{ORDERS}export/{query}", {"format": "0", "resource": "0", **fields})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response.streaming
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert text.splitlines()[0] == ",".join(EXPORT_COLUMNS)
    return list(csv.DictReader(io.StringIO(text)))


def test_export_writes_one_row_per_item_with_its_orders_columns(
    staff_client, cart, product, make_order
):
    single = make_order(product, quantity=2, status=Order.Status.PAID)
    created = {
        order.pk: order.created_at.isoformat().replace("+00:00", "Z") for order in (cart, single)
    }
    common = {"order_id": str(cart.pk), "created_at": created[cart.pk], "status": "PENDING"}
    assert export_rows(staff_client) == [
        {
            **common,
            "order_total": "2158.95",
            "sku": "DOC-1",
            "product": "Dock",
            "quantity": "1",
            "unit_price": "129.00",
            "line_total": "129.00",
        },
        {
            **common,
            "order_total": "2158.95",
            "sku": "LAP-1",
            "product": "Laptop",
            "quantity": "2",
            "unit_price": "999.99",
            "line_total": "1999.98",
        },
        {
            **common,
            "order_total": "2158.95",
            "sku": "CAB-1",
            "product": "Cable",
            "quantity": "3",
            "unit_price": "9.99",
            "line_total": "29.97",
        },
        {
            "order_id": str(single.pk),
            "created_at": created[single.pk],
            "status": "PAID",
            "order_total": "1999.98",
            "sku": "PROD-001",
            "product": "Laptop",
            "quantity": "2",
            "unit_price": "999.99",
            "line_total": "1999.98",
        },
    ]


def test_export_follows_the_changelist_filters_and_search(staff_client, cart, product, make_order):
    single = make_order(product, status=Order.Status.PAID)
    paid = export_rows(staff_client, "?status__exact=PAID")
    assert [(row["order_id"], row["sku"]) for row in paid] == [(str(single.pk), "PROD-001")]
    # A search by one product of a cart exports the whole cart, each item once.
    searched = export_rows(staff_client, "?q=Dock")
    assert [row["sku"] for row in searched] == ["DOC-1", "LAP-1", "CAB-1"]


def test_export_runs_a_constant_number_of_queries(staff_client, make_product, make_order):
    products = [make_product(stock=1000) for _ in range(4)]

    def queries_for_export() -> int:
        with CaptureQueriesContext(connection) as captured:
            export_rows(staff_client)
        return len(captured)

    make_order(products[0])
    few = queries_for_export()
    for _ in range(15):
        make_order(items=[(p, 1) for p in products])
    assert queries_for_export() == few


def test_export_needs_the_view_permission(client, django_user_model, cart):
    outsider = django_user_model.objects.create_user("outsider", password="x", is_staff=True)
    client.force_login(outsider)
    assert client.get(f"{ORDERS}export/").status_code == 403
