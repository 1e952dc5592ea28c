"""Gives every existing order its one item, made of the order's product, quantity and price.

Backwards, each order gets its one item's values back (0005 refuses first while an order has
several items).
"""

from django.db import migrations
from django.db.models import OuterRef, Subquery

BATCH_SIZE = 2000


def items_create(apps, schema_editor):
    Order = apps.get_model("orders", "Order")
    OrderItem = apps.get_model("orders", "OrderItem")
    rows = Order.objects.order_by("pk").values_list("pk", "product_id", "quantity", "unit_price")
    OrderItem.objects.bulk_create(
        (
            OrderItem(order_id=pk, product_id=product_id, quantity=quantity, unit_price=unit_price)
            for pk, product_id, quantity, unit_price in rows.iterator(chunk_size=BATCH_SIZE)
        ),
        batch_size=BATCH_SIZE,
    )


def order_columns_restore(apps, schema_editor):
    Order = apps.get_model("orders", "Order")
    OrderItem = apps.get_model("orders", "OrderItem")
    item = OrderItem.objects.filter(order=OuterRef("pk"))
    Order.objects.update(
        product_id=Subquery(item.values("product_id")),
        quantity=Subquery(item.values("quantity")),
        unit_price=Subquery(item.values("unit_price")),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("orders", "0003_orderitem"),
    ]

    operations = [migrations.RunPython(items_create, order_columns_restore, elidable=False)]
