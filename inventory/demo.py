"""The demo catalog `manage.py seed_demo` creates for a first look at the admin and the API."""

from decimal import Decimal

from django.db import transaction

from inventory.models import Product
from inventory.selectors import product_sku_taken
from inventory.services import product_create

# sku, name, price, stock, reorder level. Some start low or out of stock, so every admin
# filter shows something.
DEMO_PRODUCTS = (
    ("DEMO-LAPTOP", "Laptop 14-inch", "999.99", 25, 5),
    ("DEMO-MOUSE", "Wireless mouse", "24.90", 120, 20),
    ("DEMO-KEYBOARD", "Mechanical keyboard", "79.00", 4, 5),
    ("DEMO-MONITOR", "27-inch monitor", "249.50", 12, 3),
    ("DEMO-CABLE", "USB-C cable 1 m", "9.99", 300, 50),
    ("DEMO-HEADSET", "Headset with microphone", "59.00", 2, 5),
    ("DEMO-WEBCAM", "HD webcam", "39.95", 0, 5),
    ("DEMO-DOCK", "USB-C dock", "129.00", 8, 2),
)


@transaction.atomic
def demo_products_create(*, actor: str) -> list[Product]:
    """Creates the demo products that are missing (by live SKU); returns those created.

    Each goes through product_create, so its starting stock is in the ledger. Running it again
    creates nothing.
    """
    created = []
    for sku, name, price, stock, reorder_level in DEMO_PRODUCTS:
        if not product_sku_taken(sku=sku):
            created.append(
                product_create(
                    sku=sku,
                    name=name,
                    price=Decimal(price),
                    stock=stock,
                    reorder_level=reorder_level,
                    actor=actor,
                )
            )
    return created
