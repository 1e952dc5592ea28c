"""The CSV exports at 100 000 rows: time to the first byte and to the last, against the worker
timeout.

    python -m bench.export                       # SQLite, 100 000 rows per table
    python -m bench.export --db postgres         # PostgreSQL (BENCH_EXPORT_PG_URL)

Each export is the admin's own (`POST <changelist>/export/` with every column, as a superuser),
through the whole Django stack in-process (django.test.Client), its streamed body read to the
end. gunicorn kills a worker silent for longer than its `timeout` (gunicorn.conf.py); an export
must finish well inside it. Rows are bulk-inserted.
"""

import argparse
import datetime
import os
import resource
import subprocess
import sys
import tempfile
import time
from decimal import Decimal

from bench.scratch import ROOT, database_arguments, scratch_database

EXPORTS = (
    ("order items", "/admin/orders/order/", "orders.resources.OrderItemResource"),
    ("payments", "/admin/payments/payment/", "payments.resources.PaymentResource"),
    (
        "stock movements",
        "/admin/inventory/stockmovement/",
        "inventory.resources.StockMovementResource",
    ),
)


def worker_timeout() -> int:
    """gunicorn.conf.py's `timeout`, read in a child so its start-up side effects stay there
    (the environment must already hold the settings' secrets)."""
    with tempfile.TemporaryDirectory() as metrics_dir:
        read = subprocess.run(
            [
                sys.executable,
                "-c",
                "import runpy; print(runpy.run_path('gunicorn.conf.py')['timeout'])",
            ],
            cwd=ROOT,
            env={**os.environ, "PROMETHEUS_MULTIPROC_DIR": metrics_dir},
            capture_output=True,
            text=True,
            check=True,
        )
    return int(read.stdout)


def tables_fill(rows: int) -> None:
    """`rows` one-item orders, payments (one per order) and stock movements, over the last
    year."""
    from django.utils import timezone

    from inventory.models import Product, StockMovement
    from orders.models import Order, OrderItem
    from payments.models import Payment

    start = timezone.now() - datetime.timedelta(days=365)
    products = Product.objects.bulk_create(
        Product(sku=f"EXP-{n:04d}", name=f"Product {n}", price=Decimal("9.99"), stock=10)
        for n in range(100)
    )
    statuses = list(Order.Status.values)
    Order.objects.bulk_create(
        (
            Order(
                status=statuses[n % len(statuses)],
                created_at=start + datetime.timedelta(seconds=n * 300),
            )
            for n in range(rows)
        ),
        batch_size=5000,
    )
    order_ids = list(Order.objects.values_list("pk", flat=True))
    OrderItem.objects.bulk_create(
        (
            OrderItem(
                order_id=order_id,
                product=products[n % len(products)],
                quantity=1 + n % 3,
                unit_price=Decimal("9.99"),
            )
            for n, order_id in enumerate(order_ids)
        ),
        batch_size=5000,
    )
    Payment.objects.bulk_create(
        (
            Payment(
                order_id=order_ids[n],
                event_id=f"evt-{n:07d}",
                event_type="payment.succeeded",
                amount=Decimal("9.99"),
                currency="USD",
                outcome=Payment.Outcome.SUCCEEDED,
                order_status="PENDING",
                payload='{"event": "payment.succeeded"}',
                received_at=start + datetime.timedelta(seconds=n * 300),
            )
            for n in range(rows)
        ),
        batch_size=5000,
    )
    StockMovement.objects.bulk_create(
        (
            StockMovement(
                product=products[n % len(products)],
                delta=-1,
                reason=StockMovement.Reason.ORDER_PLACED,
                order_id=order_ids[n],
                created_at=start + datetime.timedelta(seconds=n * 300),
            )
            for n in range(rows)
        ),
        batch_size=5000,
    )


def export_measure(
    client, changelist: str, resource_path: str
) -> tuple[float, float, float, int, int]:
    """(seconds to the first chunk, seconds to the last, CPU seconds, data rows, bytes) of one
    export. The CPU time is what the export costs whatever else the machine runs."""
    from django.utils.module_loading import import_string

    resource_class = import_string(resource_path)
    columns = {
        f"{resource_class.__name__.lower()}_{name}": "on" for name in resource_class().fields
    }
    began, cpu = time.perf_counter(), time.process_time()
    response = client.post(f"{changelist}export/", {"format": "0", "resource": "0", **columns})
    if response.status_code != 200 or not response.streaming:
        raise RuntimeError(f"{changelist}export/: {response.status_code}")
    first = None
    size = lines = 0
    for chunk in response.streaming_content:
        first = first or time.perf_counter() - began
        size += len(chunk)
        lines += chunk.count(b"\r\n")
    return first, time.perf_counter() - began, time.process_time() - cpu, lines - 1, size


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    database_arguments(parser, pg_env="BENCH_EXPORT_PG_URL", pg_name="webstore_bench_export")
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    with scratch_database(args, prefix="bench-export"):
        failed = _measure(args)
    sys.exit(1 if failed else 0)


def _measure(args: argparse.Namespace) -> int:
    """Fills, exports and prints the table; returns how many exports missed the timeout."""
    timeout = worker_timeout()
    from django.contrib.auth.models import User
    from django.test import Client

    began = time.perf_counter()
    tables_fill(args.rows)
    print(
        f"{args.rows} rows per table filled in {time.perf_counter() - began:.1f} s", file=sys.stderr
    )
    client = Client(HTTP_HOST="localhost")
    client.force_login(User.objects.create_superuser("bench", password="bench-only-password"))

    lines = [
        f"CSV exports, {'SQLite' if args.db == 'sqlite' else 'PostgreSQL'}, "
        f"{datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC, in-process, load average "
        f"{os.getloadavg()[0]:.2f}, worker timeout {timeout} s: "
        f"`python -m bench.export --db {args.db}`",
        "",
        "| export | rows | MB | first byte s | total s | CPU s | rows/s | within timeout |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    failed = 0
    for label, changelist, resource_path in EXPORTS:
        first, total, cpu, rows, size = export_measure(client, changelist, resource_path)
        failed += total >= timeout
        lines.append(
            f"| {label} | {rows} | {size / 1e6:.1f} | {first:.2f} | {total:.1f} | {cpu:.1f} "
            f"| {rows / total:,.0f} | {'yes' if total < timeout else '**no**'} |"
        )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    lines += ["", f"Peak memory of the process (fill included): {peak:.0f} MB."]
    print("\n".join(lines))
    return failed


if __name__ == "__main__":
    main()
