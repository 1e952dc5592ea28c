"""The benchmark's database side: migrate and seed the product pool, then check for oversell.

    python -m bench.pool seed --products 100 --stock 1000000   # prints the seeded ids as JSON
    python -m bench.pool check --ids 1,2,3 --stock 1000000     # prints the check as JSON

Uses DATABASE_URL like the service. Seeding goes through `product_create`, so the ledger starts
right and the check can compare against it.
"""

import argparse
import json
import os
from decimal import Decimal


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "webstore.settings")
    import django

    django.setup()


def pool_seed(*, products: int, stock: int) -> list[int]:
    """Migrates the (empty) database and creates `products` products with `stock` units each."""
    from django.core.management import call_command

    from inventory.services import product_create

    call_command("migrate", verbosity=0, interactive=False)
    return [
        product_create(
            sku=f"POOL-{n:05d}", name=f"Pool product {n}", price=Decimal("19.99"), stock=stock
        ).pk
        for n in range(1, products + 1)
    ]


def pool_check(*, product_ids: list[int], stock: int) -> dict:
    """Counts pool products whose units do not add up: stock + ordered units != seeded stock.

    Also counts products whose stock differs from their ledger sum. Both must be 0.
    """
    from django.db.models import Sum

    from inventory.models import Product, StockMovement
    from orders.models import Order, OrderItem

    ordered = dict(
        OrderItem.objects.filter(product_id__in=product_ids)
        .exclude(order__status=Order.Status.CANCELED)
        .values_list("product_id")
        .annotate(units=Sum("quantity"))
    )
    ledger = dict(
        StockMovement.objects.filter(product_id__in=product_ids)
        .values_list("product_id")
        .annotate(total=Sum("delta"))
    )
    current = dict(Product.objects.filter(pk__in=product_ids).values_list("pk", "stock"))
    oversold = sum(1 for pk in product_ids if current[pk] + ordered.get(pk, 0) != stock)
    ledger_mismatch = sum(1 for pk in product_ids if current[pk] != ledger.get(pk, 0))
    return {
        "products": len(product_ids),
        "orders": Order.objects.filter(items__product_id__in=product_ids).distinct().count(),
        "units_ordered": sum(ordered.values()),
        "oversold": oversold,
        "ledger_mismatch": ledger_mismatch,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="command", required=True)
    seed = sub.add_parser("seed")
    seed.add_argument("--products", type=int, default=100)
    seed.add_argument("--stock", type=int, default=1_000_000)
    check = sub.add_parser("check")
    check.add_argument("--ids", required=True)
    check.add_argument("--stock", type=int, default=1_000_000)
    args = parser.parse_args()
    _setup_django()
    if args.command == "seed":
        print(json.dumps(pool_seed(products=args.products, stock=args.stock)))
    else:
        ids = [int(pk) for pk in args.ids.split(",")]
        print(json.dumps(pool_check(product_ids=ids, stock=args.stock)))


if __name__ == "__main__":
    main()
