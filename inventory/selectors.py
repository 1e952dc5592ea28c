"""Product queries shared by the API, the admin, the orders app and the commands."""

from collections.abc import Collection, Iterator, Mapping
from typing import Any

from django.db.models import F, QuerySet, Sum
from django.db.models.functions import Coalesce

from inventory.exceptions import ProductNotFound
from inventory.filters import ProductFilter
from inventory.models import Product
from webstore.api.conditional import row_version
from webstore.api.filters import filter_parametrized, filter_structure
from webstore.api.pagination import Window, window_queryset
from webstore.api.rows import Param, RowShape

# A product as the API shows it. The serializer's fields, the list, the detail and every
# write's response are this.
PRODUCT_ROW = RowShape(Product, "id", "sku", "name", "price", "stock")


def product_list() -> QuerySet[Product]:
    """Live (not archived) products in id order."""
    return Product.objects.live().order_by("pk")


def _page_queryset(structure: tuple) -> QuerySet[Product]:
    filters, (limit, skip, has_cursor) = structure
    products = filter_parametrized(ProductFilter, product_list(), filters)
    after = Param("after") if has_cursor else None
    return window_queryset(products, limit=limit, skip=skip, after=after)


_PAGE = PRODUCT_ROW.query(_page_queryset)
_BY_ID = PRODUCT_ROW.query(lambda structure: product_list().filter(pk=Param("id")))


def product_page(*, filters: Mapping[str, Any], window: Window) -> list[dict]:
    """API rows of live products in id order: filtered (ProductFilter's values), one window.

    The window's rows and one more, if there is one (the paginator's `page_rows` cuts it).
    """
    structure = (filter_structure(filters), window.structure)
    return _PAGE.fetch({**filters, "after": window.after}, structure)


def product_version(product: Product) -> str:
    """The product's version, its ETag: a fingerprint of its API row."""
    return row_version(PRODUCT_ROW.of(product))


def product_row(*, product_id: int) -> dict:
    """The API row of a live product; raises ProductNotFound."""
    rows = _BY_ID.fetch({"id": product_id})
    if not rows:
        raise ProductNotFound(product_id)
    return rows[0]


def product_sku_taken(*, sku: str, exclude_pk: int | None = None) -> bool:
    """Whether a live product (other than `exclude_pk`) already uses `sku`."""
    return Product.objects.live().filter(sku=sku).exclude(pk=exclude_pk).exists()


def product_get(*, product_id: int, for_update: bool = False, archived_ok: bool = False) -> Product:
    """Returns a product, locking its row when asked; raises ProductNotFound.

    Archived products are not found unless `archived_ok`: they cannot be read, changed or
    ordered through the API, but existing orders still return stock to them.
    """
    queryset = Product.objects.all() if archived_ok else Product.objects.live()
    if for_update:
        queryset = queryset.select_for_update()
    try:
        return queryset.get(pk=product_id)
    except Product.DoesNotExist:
        raise ProductNotFound(product_id) from None


def product_list_for_update(*, product_ids: Collection[int]) -> dict[int, Product]:
    """Locks the live products among `product_ids` and returns them by id.

    Rows are locked in ascending id order, so two callers locking overlapping sets cannot
    deadlock. Must run inside a transaction.
    """
    queryset = Product.objects.live().select_for_update().filter(pk__in=product_ids)
    return {product.pk: product for product in queryset.order_by("pk")}


# What placing an order reads of the products it locks.
_STOCK = RowShape(Product, "id", "price", "stock").query(
    lambda count: (
        product_list().select_for_update().filter(pk__in=[Param(f"id{n}") for n in range(count)])
    )
)


def product_stock_for_update(*, product_ids: Collection[int]) -> dict[int, dict]:
    """Locks the live products among `product_ids`; their id, price and stock by id.

    Locked in ascending id order, like product_list_for_update, in a statement compiled once
    per number of ids. Must run inside a transaction.
    """
    values = {f"id{n}": product_id for n, product_id in enumerate(product_ids)}
    return {row["id"]: row for row in _STOCK.fetch(values, len(values))}


def product_find(*, sku: str) -> Product | None:
    """The live product with this SKU, or None."""
    return Product.objects.live().filter(sku=sku).first()


def product_reorder_list() -> QuerySet[Product]:
    """Live products at or below their reorder level (out of stock included), emptiest first."""
    return Product.objects.at_or_below_reorder_level().order_by("stock", "sku")


def product_ledger_mismatches() -> QuerySet[Product]:
    """Products (archived too) whose stock differs from the sum of their ledger movements.

    Each carries `ledger_stock`, the sum of its movements (0 when it has none).
    """
    return (
        Product.objects.annotate(ledger_stock=Coalesce(Sum("movements__delta"), 0))
        .exclude(stock=F("ledger_stock"))
        .order_by("pk")
    )


def product_ledger_check_batches(*, batch_size: int) -> Iterator[tuple[int, list[Product]]]:
    """product_ledger_mismatches over `batch_size` products at a time, in id order.

    Yields (products checked, mismatches among them) per batch, so a large catalog is checked
    in short queries and the caller can report progress.
    """
    after = 0
    while ids := list(
        Product.objects.filter(pk__gt=after)
        .order_by("pk")
        .values_list("pk", flat=True)[:batch_size]
    ):
        yield len(ids), list(product_ledger_mismatches().filter(pk__gte=ids[0], pk__lte=ids[-1]))
        after = ids[-1]
