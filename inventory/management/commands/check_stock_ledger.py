"""Verifies the ledger invariant stock == sum(movements) for every product."""

from django.core.management.base import BaseCommand, CommandError

from inventory.models import Product
from inventory.selectors import product_ledger_check_batches
from webstore.backoffice.progress import Progress

BATCH_SIZE = 1000


class Command(BaseCommand):
    help = (
        "Check that every product's stock equals the sum of its stock movements. Lists the "
        "products where it does not and exits with status 1."
    )

    def handle(self, *args, **options):
        total = Product.objects.count()
        progress = Progress(self.stderr, "Checking products")
        progress.update(0, total)
        checked, mismatches = 0, 0
        for batch_checked, batch_mismatches in product_ledger_check_batches(batch_size=BATCH_SIZE):
            checked += batch_checked
            for product in batch_mismatches:
                difference = product.stock - product.ledger_stock
                self.stdout.write(
                    f"id={product.pk} sku={product.sku} stock={product.stock} "
                    f"ledger={product.ledger_stock} difference={difference:+d}"
                )
            mismatches += len(batch_mismatches)
            progress.update(checked, max(total, checked))
        progress.finish()
        if mismatches:
            raise CommandError(f"Stock ledger mismatch for {mismatches} product(s).")
        self.stdout.write(f"Stock ledger OK: {checked} product(s) checked.")
