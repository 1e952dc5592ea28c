"""Creates a demo catalog, a few orders and a rejected payment for a first look; safe to run
again."""

from django.core.management.base import BaseCommand

from inventory.demo import demo_products_create
from orders.demo import demo_orders_create
from payments.demo import demo_payments_create
from webstore.backoffice.progress import Progress

ACTOR = "seed_demo"


class Command(BaseCommand):
    help = (
        "Create the demo catalog (DEMO-* SKUs, some low or out of stock), a few orders in "
        "every status and one rejected payment to review, through the services. Idempotent: "
        "only what is missing is created."
    )

    def handle(self, *args, **options):
        # Each app's demo data, in dependency order: orders need the products, payments orders.
        progress = Progress(self.stderr, "Seeding demo data (catalog, orders, payments)")
        progress.update(0, 3)
        products = demo_products_create(actor=ACTOR)
        progress.update(1, 3)
        orders = demo_orders_create(actor=ACTOR)
        progress.update(2, 3)
        payments = demo_payments_create()
        progress.update(3, 3)
        progress.finish()
        self.stdout.write(
            f"Demo data: {len(products)} product(s) created, {len(orders)} order(s) placed."
        )
        self.stdout.write(
            f"Demo payments: {len(payments)} rejected payment(s) recorded for review."
        )
