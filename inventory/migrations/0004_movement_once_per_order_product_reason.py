"""An order of several items reserves (and returns) stock once per product, not once in all.

The ledger's guard against a double reservation or restock becomes unique per order, product
and reason. Migrating backwards needs every order to have one product again (orders 0004).
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("inventory", "0003_product_search_trigram_indexes"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="stockmovement",
            constraint=models.UniqueConstraint(
                condition=models.Q(("order_id__isnull", False)),
                fields=("order_id", "product", "reason"),
                name="movement_once_per_order_product_reason",
            ),
        ),
        migrations.RemoveConstraint(
            model_name="stockmovement", name="movement_once_per_order_reason"
        ),
    ]
