"""Verifies the ledger invariant stock == sum(movements) for every product."""

from django.core.management.base import BaseCommand, CommandError

from inventory.models import Product
from inventory.selectors import product_ledger_mismatches


class Command(BaseCommand):
    help = (
        "Check that every product's stock equals the sum of its stock movements. Lists the "
        "products where it does not and exits with status 1."
    )

    def handle(self, *args, **options):
        mismatches = list(product_ledger_mismatches())
        if not mismatches:
            self.stdout.write(f"Stock ledger OK: {Product.objects.count()} product(s) checked.")
            return
        for product in mismatches:
            difference = product.stock - product.ledger_stock
            self.stdout.write(
                f"id={product.pk} sku={product.sku} stock={product.stock} "
                f"ledger={product.ledger_stock} difference={difference:+d}"
            )
        raise CommandError(f"Stock ledger mismatch for {len(mismatches)} product(s).")
