"""Creates a demo catalog and a few orders for a first look; safe to run again."""

from django.core.management.base import BaseCommand

from inventory.demo import demo_products_create
from orders.demo import demo_orders_create

ACTOR = "seed_demo"


class Command(BaseCommand):
    help = (
        "Create the demo catalog (DEMO-* SKUs, some low or out of stock) and a few orders in "
        "every status, through the services. Idempotent: only what is missing is created."
    )

    def handle(self, *args, **options):
        # Each app's demo data, in dependency order: orders need the products.
        products = demo_products_create(actor=ACTOR)
        orders = demo_orders_create(actor=ACTOR)
        self.stdout.write(
            f"Demo data: {len(products)} product(s) created, {len(orders)} order(s) placed."
        )
