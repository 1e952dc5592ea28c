"""Lists live products at or below their reorder level, as a table or CSV."""

import csv

from django.core.management.base import BaseCommand

from inventory.selectors import product_reorder_list
from webstore.backoffice.progress import Progress

COLUMNS = ("sku", "name", "stock", "reorder_level")
CHUNK_SIZE = 2000


class Command(BaseCommand):
    help = (
        "List live products whose stock is at or below their reorder level (out of stock "
        "included), emptiest first. --format csv writes CSV with a header row (and its "
        "summary line to stderr)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["table", "csv"], default="table")

    def handle(self, *args, **options):
        low = product_reorder_list()
        total = low.count()
        progress = Progress(self.stderr, "Reading products")
        progress.update(0, total)
        rows = low.values_list(*COLUMNS).iterator(chunk_size=CHUNK_SIZE)
        if options["format"] == "csv":
            writer = csv.writer(self.stdout, lineterminator="\n")
            writer.writerow(COLUMNS)
            for row in rows:
                writer.writerow(row)
                progress.advance()
            progress.finish()
            self.stderr.write(_summary(progress.done))
            return
        table = [COLUMNS]
        for row in rows:
            table.append(tuple(str(value) for value in row))
            progress.advance()
        progress.finish()
        if len(table) == 1:
            self.stdout.write("No products at or below their reorder level.")
            return
        widths = [max(len(row[i]) for row in table) for i in range(len(COLUMNS))]
        for row in table:
            cells = (value.ljust(width) for value, width in zip(row, widths, strict=True))
            self.stdout.write("  ".join(cells).rstrip())
        self.stdout.write(_summary(len(table) - 1))


def _summary(count: int) -> str:
    return f"{count} product(s) at or below their reorder level."
