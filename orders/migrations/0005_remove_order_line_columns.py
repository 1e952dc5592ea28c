"""The order row no longer holds a product, quantity or price: its items do (filled by 0004).

Backwards, the first step refuses, before anything changes, while an order has several items:
an order row holds one product, so such an order cannot be told there.
"""

from django.db import migrations
from django.db.models import Count


def refuse_orders_of_several_items(apps, schema_editor):
    Order = apps.get_model("orders", "Order")
    several = Order.objects.annotate(count=Count("items")).exclude(count=1).order_by("pk")
    first = several.values_list("pk", flat=True).first()
    if first is not None:
        raise migrations.exceptions.IrreversibleError(
            f"{several.count()} order(s) do not have exactly one item (the first: order "
            f"{first}); an order row holds one product, so they cannot be migrated back."
        )


class Migration(migrations.Migration):
    dependencies = [
        ("orders", "0004_order_items_from_order_columns"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="order", name="order_quantity_positive"),
        migrations.RemoveConstraint(model_name="order", name="order_unit_price_positive"),
        migrations.RemoveField(model_name="order", name="product"),
        migrations.RemoveField(model_name="order", name="quantity"),
        migrations.RemoveField(model_name="order", name="unit_price"),
        # Last, so that backwards it runs first.
        migrations.RunPython(
            migrations.RunPython.noop, refuse_orders_of_several_items, elidable=False
        ),
    ]
