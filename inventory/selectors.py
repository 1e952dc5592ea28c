"""Product queries shared by the API, the admin, the orders app and the commands."""
from django.db.models import QuerySet

from inventory.exceptions import ProductNotFound
from inventory.models import Product


def product_list() -> QuerySet[Product]:
    """Live (not archived) products in id order."""
    return Product.objects.live().order_by("pk")


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
