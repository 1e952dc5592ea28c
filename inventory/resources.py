"""CSV import and export of products (django-import-export), routed through the services, and
the export of the stock ledger.

Rows are matched to live products by SKU. New SKUs are created by `product_create`; changed
rows go through `product_update`, so every stock change is an `import` movement in the ledger.
The admin runs an import in one transaction that is rolled back whole if any row fails.
"""

import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from import_export import fields, resources, widgets

from inventory.models import Product, StockMovement
from inventory.selectors import product_get, product_list
from inventory.services import CATALOG_FIELDS, product_create, product_update
from webstore.backoffice.exports import IsoDateTimeWidget, PlainNumberWidget

IMPORT_ACTOR = "import"
IMPORT_NOTE = "CSV import"


class WholeNumberWidget(widgets.IntegerWidget):
    """An integer cell; "2.5" or "many" is a row error, never truncated or a traceback."""

    def clean(self, value, row=None, **kwargs):
        if self.is_empty(value):
            return None
        text = str(value).strip()
        if not re.fullmatch(r"[+-]?\d{1,10}", text):
            raise ValueError("Enter a whole number.")
        return int(text)


class PriceWidget(widgets.DecimalWidget):
    """A decimal cell; its places and range are checked by the model field's validators."""

    def clean(self, value, row=None, **kwargs):
        if self.is_empty(value):
            return None
        try:
            return Decimal(str(value).strip())
        except InvalidOperation:
            raise ValueError("Enter a number.") from None


class ProductResource(resources.ModelResource):
    """One CSV row per live product: sku, name, price, stock, reorder_level."""

    price = fields.Field(attribute="price", column_name="price", widget=PriceWidget())
    stock = fields.Field(attribute="stock", column_name="stock", widget=WholeNumberWidget())
    reorder_level = fields.Field(
        attribute="reorder_level", column_name="reorder_level", widget=WholeNumberWidget()
    )

    class Meta:
        model = Product
        fields = ("sku", "name", "price", "stock", "reorder_level")
        export_order = fields
        import_id_fields = ("sku",)
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        use_transactions = True

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._seen_skus: dict[str, int] = {}

    def get_queryset(self):
        # Archived products keep their SKU but no longer own it: rows match live products only.
        return product_list()

    def before_import_row(self, row, **kwargs):
        sku, number = row.get("sku"), kwargs["row_number"]
        if sku in self._seen_skus:
            first = self._seen_skus[sku]
            raise ValidationError({"sku": f"SKU '{sku}' is also on row {first}; one row per SKU."})
        self._seen_skus[sku] = number

    def save_instance(self, instance, is_create, row, **kwargs):
        user = kwargs.get("user")
        actor = user.get_username() if user is not None else IMPORT_ACTOR
        self.before_save_instance(instance, row, **kwargs)
        if is_create:
            created = product_create(
                sku=instance.sku,
                name=instance.name,
                price=instance.price,
                stock=instance.stock,
                reorder_level=instance.reorder_level,
                actor=actor,
                reason=StockMovement.Reason.IMPORT,
                note=IMPORT_NOTE,
            )
            instance.pk = created.pk
        else:
            stored = product_get(product_id=instance.pk)
            changes = {
                field: getattr(instance, field)
                for field in (*CATALOG_FIELDS, "stock")
                if getattr(instance, field) != getattr(stored, field)
            }
            product_update(
                product_id=instance.pk,
                changes=changes,
                actor=actor,
                note=IMPORT_NOTE,
                stock_reason=StockMovement.Reason.IMPORT,
            )
        self.after_save_instance(instance, row, **kwargs)


class StockMovementResource(resources.ModelResource):
    """One CSV row per ledger movement (export only: the ledger is written by the services)."""

    created_at = fields.Field(
        attribute="created_at", column_name="created_at", widget=IsoDateTimeWidget()
    )
    product_id = fields.Field(attribute="product_id", column_name="product_id")
    sku = fields.Field(attribute="product__sku", column_name="sku")
    delta = fields.Field(attribute="delta", column_name="delta", widget=PlainNumberWidget())
    order_id = fields.Field(
        attribute="order_id", column_name="order_id", widget=PlainNumberWidget()
    )

    class Meta:
        model = StockMovement
        fields = (
            "id",
            "created_at",
            "product_id",
            "sku",
            "delta",
            "reason",
            "order_id",
            "actor",
            "note",
        )
        export_order = fields

    def filter_export(self, queryset, **kwargs):
        # Each row reads its product's SKU: joined, not one query per row; and only the columns
        # the rows show (a large export spends its time turning database values into objects).
        return queryset.select_related("product").only(
            "created_at", "delta", "reason", "order_id", "actor", "note", "product__sku"
        )
