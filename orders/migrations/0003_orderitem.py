"""Order items: one row per product of an order, with its quantity and price when ordered.

The order's own product, quantity and unit price columns become nullable here, so that 0005 can
drop them and, migrating backwards, re-add them empty for 0004 to fill before they are required
again.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("inventory", "0003_product_search_trigram_indexes"),
        ("orders", "0002_store_staff_group"),
    ]

    operations = [
        migrations.CreateModel(
            name="OrderItem",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("quantity", models.IntegerField()),
                ("unit_price", models.DecimalField(decimal_places=2, max_digits=10)),
                (
                    "order",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="items",
                        to="orders.order",
                    ),
                ),
                (
                    "product",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="order_items",
                        to="inventory.product",
                    ),
                ),
            ],
            options={
                "ordering": ["pk"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("order", "product"), name="order_item_product_once"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("quantity__gt", 0)),
                        name="order_item_quantity_positive",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("unit_price__gt", 0)),
                        name="order_item_unit_price_positive",
                    ),
                ],
            },
        ),
        migrations.AlterField(
            model_name="order",
            name="product",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="orders",
                to="inventory.product",
            ),
        ),
        migrations.AlterField(
            model_name="order", name="quantity", field=models.IntegerField(null=True)
        ),
        migrations.AlterField(
            model_name="order",
            name="unit_price",
            field=models.DecimalField(decimal_places=2, max_digits=10, null=True),
        ),
    ]
