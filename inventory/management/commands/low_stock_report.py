"""Lists live products at or below their reorder level, as a table or CSV."""

import csv

from django.core.management.base import BaseCommand

from inventory.selectors import product_reorder_list

COLUMNS = ("sku", "name", "stock", "reorder_level")


class Command(BaseCommand):
    help = (
        "List live products whose stock is at or below their reorder level (out of stock "
        "included), emptiest first. --format csv writes CSV with a header row."
    )

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["table", "csv"], default="table")

    def handle(self, *args, **options):
        rows = list(product_reorder_list().values_list(*COLUMNS))
        if options["format"] == "csv":
            writer = csv.writer(self.stdout, lineterminator="\n")
            writer.writerow(COLUMNS)
            writer.writerows(rows)
            return
        if not rows:
            self.stdout.write("No products at or below their reorder level.")
            return
        table = [COLUMNS, *[tuple(str(value) for value in row) for row in rows]]
        widths = [max(len(row[i]) for row in table) for i in range(len(COLUMNS))]
        for row in table:
            cells = (value.ljust(width) for value, width in zip(row, widths, strict=True))
            self.stdout.write("  ".join(cells).rstrip())
        self.stdout.write(f"{len(rows)} product(s) at or below their reorder level.")
