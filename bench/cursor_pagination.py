"""Benchmark: latency of a deep page, `skip` (OFFSET) vs `cursor` (keyset), over 100k orders.

Run against a scratch database (it is migrated and filled; the rows are bench data, written with
bulk_create, not through the services):

    createdb webstore_bench
    DEBUG=true DATABASE_URL=postgres://postgres@127.0.0.1:5432/webstore_bench \\
        .venv/bin/python bench/cursor_pagination.py --orders 100000

Prints the median time of GET /orders?limit=100 for the first page and for the page starting at
each depth, once with `skip` and once with the cursor a `Link` header would carry.
"""

import argparse
import os
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "webstore.settings")
os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("RATE_LIMIT_READ", "off")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

from inventory.models import Product  # noqa: E402
from orders.models import Order, OrderItem  # noqa: E402
from webstore.api.pagination import cursor_encode  # noqa: E402


def fill(total: int) -> None:
    missing = total - Order.objects.count()
    if missing <= 0:
        return
    product, _ = Product.objects.get_or_create(
        sku="BENCH-1", defaults={"name": "Bench", "price": Decimal("1.00"), "stock": 0}
    )
    batch = 10_000
    for start in range(0, missing, batch):
        orders = Order.objects.bulk_create(Order() for _ in range(min(batch, missing - start)))
        OrderItem.objects.bulk_create(
            OrderItem(order=order, product=product, quantity=1, unit_price=Decimal("1.00"))
            for order in orders
        )


def median_ms(client: Client, url: str, repeats: int) -> float:
    timings = []
    for _ in range(repeats):
        started = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.content
    return statistics.median(timings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=15)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    fill(args.orders)
    ids = list(Order.objects.order_by("pk").values_list("pk", flat=True))
    client = Client(HTTP_HOST="localhost")
    print(f"{len(ids)} orders; GET /orders?limit=100, median of {args.repeats} (ms)")
    print(f"{'depth':>8} {'skip':>10} {'cursor':>10}")
    for depth in (0, len(ids) // 4, len(ids) // 2, len(ids) - 100):
        skip_ms = median_ms(client, f"/orders?limit=100&skip={depth}", args.repeats)
        cursor = cursor_encode(ids[depth - 1]) if depth else None
        cursor_url = f"/orders?limit=100&cursor={cursor}" if cursor else "/orders?limit=100"
        cursor_ms = median_ms(client, cursor_url, args.repeats)
        print(f"{depth:>8} {skip_ms:>10.1f} {cursor_ms:>10.1f}")


if __name__ == "__main__":
    main()
