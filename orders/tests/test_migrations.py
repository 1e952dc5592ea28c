"""The order-items migrations on a populated database: forwards loses nothing, backwards too.

Runs the real migrations (schema and data) with Django's executor, on SQLite and PostgreSQL.
"""

from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.exceptions import IrreversibleError
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [
    ("orders", "0002_store_staff_group"),
    ("inventory", "0003_product_search_trigram_indexes"),
]
AFTER = [
    ("orders", "0005_remove_order_line_columns"),
    ("inventory", "0004_movement_once_per_order_product_reason"),
]
# (sku, price, stock) and (product index, quantity, unit price when ordered, status).
PRODUCTS = [("MIG-1", "19.99", 100), ("MIG-2", "5.00", 100)]
ORDERS = [
    (0, 3, "19.99", "PENDING"),
    (1, 1, "4.50", "PAID"),
    (0, 2, "18.00", "SHIPPED"),
    (1, 7, "5.00", "CANCELED"),
]


def migrate(targets):
    """Migrates the test database to `targets`; returns the models as they are there."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return MigrationExecutor(connection).loader.project_state(targets).apps


@pytest.fixture
def at_latest_afterwards():
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def order_columns() -> list[str]:
    with connection.cursor() as cursor:
        return [
            c.name for c in connection.introspection.get_table_description(cursor, "orders_order")
        ]


def populate_before(apps) -> list[tuple]:
    Product = apps.get_model("inventory", "Product")
    Order = apps.get_model("orders", "Order")
    StockMovement = apps.get_model("inventory", "StockMovement")
    products = [
        Product.objects.create(
            sku=sku, name=sku, price=Decimal(price), stock=stock, reorder_level=5
        )
        for sku, price, stock in PRODUCTS
    ]
    rows = []
    for index, quantity, unit_price, status in ORDERS:
        order = Order.objects.create(
            product=products[index],
            quantity=quantity,
            unit_price=Decimal(unit_price),
            status=status,
        )
        StockMovement.objects.create(
            product=products[index], delta=-quantity, reason="order_placed", order_id=order.pk
        )
        rows.append((order.pk, products[index].pk, quantity, Decimal(unit_price), status))
    return rows


def test_forwards_gives_every_order_its_one_item_and_backwards_restores_the_columns(
    at_latest_afterwards,
):
    apps = migrate(BEFORE)
    rows = populate_before(apps)

    apps = migrate(AFTER)
    Order = apps.get_model("orders", "Order")
    OrderItem = apps.get_model("orders", "OrderItem")
    assert {"product_id", "quantity", "unit_price"}.isdisjoint(order_columns())
    items = OrderItem.objects.order_by("order_id").values_list(
        "order_id", "product_id", "quantity", "unit_price", "order__status"
    )
    assert list(items) == rows
    assert Order.objects.count() == len(ORDERS)

    apps = migrate(BEFORE)
    Order = apps.get_model("orders", "Order")
    restored = Order.objects.order_by("pk").values_list(
        "pk", "product_id", "quantity", "unit_price", "status"
    )
    assert list(restored) == rows
    assert "orderitem" not in {model._meta.model_name for model in apps.get_models()}


def test_forwards_again_after_backwards_gives_the_same_items(at_latest_afterwards):
    apps = migrate(BEFORE)
    rows = populate_before(apps)
    migrate(AFTER)
    migrate(BEFORE)
    apps = migrate(AFTER)
    OrderItem = apps.get_model("orders", "OrderItem")
    items = OrderItem.objects.order_by("order_id").values_list(
        "order_id", "product_id", "quantity", "unit_price", "order__status"
    )
    assert list(items) == rows


def test_backwards_refuses_while_an_order_has_several_items_and_changes_nothing(
    at_latest_afterwards,
):
    apps = migrate(BEFORE)
    rows = populate_before(apps)
    apps = migrate(AFTER)
    Order = apps.get_model("orders", "Order")
    OrderItem = apps.get_model("orders", "OrderItem")
    cart = Order.objects.create(status="PENDING")
    first, second = (row[1] for row in rows[:2])
    StockMovement = apps.get_model("inventory", "StockMovement")
    for product_id, quantity in ((first, 1), (second, 2)):
        OrderItem.objects.create(
            order=cart, product_id=product_id, quantity=quantity, unit_price=Decimal("1.00")
        )
        StockMovement.objects.create(
            product_id=product_id, delta=-quantity, reason="order_placed", order_id=cart.pk
        )

    with pytest.raises(IrreversibleError, match=rf"1 order\(s\) .* \(the first: order {cart.pk}\)"):
        migrate(BEFORE)

    applied = MigrationExecutor(connection).loader.applied_migrations
    assert set(AFTER) <= set(applied)
    assert {"product_id", "quantity", "unit_price"}.isdisjoint(order_columns())
    assert OrderItem.objects.count() == len(ORDERS) + 2
    assert StockMovement.objects.filter(order_id=cart.pk).count() == 2
