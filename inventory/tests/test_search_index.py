"""The product search reads an index on PostgreSQL instead of the whole table."""

from decimal import Decimal

import pytest
from django.db import connection

from inventory.filters import ProductFilter
from inventory.models import Product
from inventory.selectors import product_list

# Where an index pays on PostgreSQL (bench/volume.py measures it): a smaller table is cheaper
# to scan, and the planner rightly scans it.
ROWS = 100_000


def _products_fill() -> None:
    if connection.vendor == "postgresql":
        # One statement instead of 100 000 model instances: the test is about the plan.
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO inventory_product"
                " (sku, name, price, stock, reorder_level, created_at, updated_at)"
                " SELECT 'SRCH-' || n, 'Plain product ' || n, 9.99, 1, 0, now(), now()"
                " FROM generate_series(1, %s) AS n",
                [ROWS],
            )
            cursor.execute("ANALYZE inventory_product")
    else:
        Product.objects.bulk_create(
            Product(sku=f"SRCH-{n}", name=f"Plain product {n}", price=Decimal("9.99"), stock=1)
            for n in range(1, 101)
        )


def _plan(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    explain = "EXPLAIN" if connection.vendor == "postgresql" else "EXPLAIN QUERY PLAN"
    with connection.cursor() as cursor:
        cursor.execute(f"{explain} {sql}", params)
        return "\n".join(" ".join(map(str, row)) for row in cursor.fetchall())


@pytest.mark.django_db
def test_a_search_that_matches_nothing_reads_the_trigram_indexes_on_postgresql():
    _products_fill()
    # The list page's own query: the filter, the id order and the page's LIMIT.
    searched = ProductFilter({"search": "absent"}, queryset=product_list()).qs[:21]

    plan = _plan(searched)

    if connection.vendor == "postgresql":
        assert "Bitmap Index Scan on product_name_trgm" in plan, plan
        assert "Bitmap Index Scan on product_sku_trgm" in plan, plan
        assert "Seq Scan" not in plan, plan
    else:
        # SQLite has no trigram index: the search is a scan (docs/performance.md, "Data volume").
        assert "SCAN inventory_product" in plan, plan
    assert list(searched) == []
