"""Staff admin for products and the stock ledger.

Every write goes through `inventory.services`, so the admin cannot bypass the stock rules or the
ledger: adding a product records its starting stock, stock changes only through the "Adjust
stock" form (a ledger row with reason, note and the staff user), archive and restore are
actions, and CSV import/export runs through the same services (see `inventory.resources`).
"""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from import_export.admin import ImportExportModelAdmin
from import_export.formats.base_formats import CSV

from inventory.exceptions import InsufficientStock
from inventory.forms import ProductAdminForm, StockAdjustForm
from inventory.models import Product, StockMovement, StockStatus
from inventory.resources import ProductResource, StockMovementResource
from inventory.selectors import product_reorder_list
from inventory.services import (
    CATALOG_FIELDS,
    product_archive,
    product_create,
    product_restore,
    product_update,
    stock_adjust,
    stock_set,
)
from webstore.backoffice.dashboard import DashboardSection, Figure, changelist_url
from webstore.backoffice.exports import StreamingCsvExportMixin
from webstore.backoffice.mixins import (
    DomainErrorsAsMessagesMixin,
    ReadOnlyAdminMixin,
    report_per_row,
)

# How many movements the product page shows; the full history is one link away.
HISTORY_ROWS = 20


def _row_problems(invalid_row) -> str:
    problems = [
        f"{field}: {' '.join(errors)}"
        for field, errors in invalid_row.field_specific_errors.items()
    ]
    return "; ".join([*problems, *invalid_row.non_field_specific_errors])


class ReorderFilter(admin.SimpleListFilter):
    """Live products at or below their reorder level: low and out of stock together."""

    title = "reorder"
    parameter_name = "reorder"

    def lookups(self, request, model_admin):
        return [("needed", "At or below reorder level")]

    def queryset(self, request, queryset):
        return queryset.at_or_below_reorder_level() if self.value() == "needed" else queryset


class StockStatusFilter(admin.SimpleListFilter):
    """In stock / low (at or below reorder level) / out of stock / archived."""

    title = "stock status"
    parameter_name = "stock_status"

    def lookups(self, request, model_admin):
        return StockStatus.choices

    def queryset(self, request, queryset):
        by_status = {
            StockStatus.IN_STOCK: queryset.above_reorder_level,
            StockStatus.LOW: queryset.low_stock,
            StockStatus.OUT: queryset.out_of_stock,
            StockStatus.ARCHIVED: queryset.archived,
        }
        chosen = by_status.get(self.value())
        return chosen() if chosen else queryset


@admin.register(Product)
class ProductAdmin(DomainErrorsAsMessagesMixin, StreamingCsvExportMixin, ImportExportModelAdmin):
    form = ProductAdminForm
    list_display = ["sku", "name", "price", "stock", "reorder_level", "stock_status", "updated_at"]
    list_display_links = ["sku", "name"]
    search_fields = ["sku", "name"]
    list_filter = [StockStatusFilter, ReorderFilter]
    ordering = ["sku", "pk"]
    list_per_page = 50
    actions = ["archive_products", "restore_products"]
    resource_classes = [ProductResource]
    import_formats = [CSV]
    export_formats = [CSV]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["sku", "name", "price", "stock", "reorder_level"]
        return [
            "sku",
            "name",
            "price",
            "reorder_level",
            "stock",
            "stock_status",
            "archived_at",
            "created_at",
            "updated_at",
            "movement_history",
        ]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        # Stock is shown, never edited here: the "Adjust stock" form writes a ledger row.
        return [
            "stock",
            "stock_status",
            "archived_at",
            "created_at",
            "updated_at",
            "movement_history",
        ]

    def has_change_permission(self, request, obj=None):
        # An archived product is view-only (the services refuse to change it): restore it first.
        if obj is not None and obj.is_archived:
            return False
        return super().has_change_permission(request, obj)

    def has_import_permission(self, request):
        # An import both creates and changes products.
        return self.has_add_permission(request) and self.has_change_permission(request)

    def has_delete_permission(self, request, obj=None):
        # Products are archived (an action), never deleted: orders and the ledger point at them.
        return False

    @admin.display(description="stock status")
    def stock_status(self, product: Product) -> str:
        return product.stock_status.label

    @admin.display(description="stock movements (newest first)")
    def movement_history(self, product: Product) -> str:
        movements = list(product.movements.all()[:HISTORY_ROWS])
        all_url = reverse("admin:inventory_stockmovement_changelist") + f"?product={product.pk}"
        return render_to_string(
            "admin/inventory/product/movement_history.html",
            {"movements": movements, "all_url": all_url, "total": product.movements.count()},
        )

    def save_model(self, request, obj, form, change):
        actor = request.user.get_username()
        if change:
            changes = {
                field: form.cleaned_data[field]
                for field in CATALOG_FIELDS
                if field in form.changed_data
            }
            product_update(product_id=obj.pk, changes=changes, actor=actor)
        else:
            created = product_create(
                sku=form.cleaned_data["sku"],
                name=form.cleaned_data["name"],
                price=form.cleaned_data["price"],
                stock=form.cleaned_data["stock"],
                reorder_level=form.cleaned_data["reorder_level"],
                actor=actor,
            )
            obj.pk = created.pk
        obj.refresh_from_db()

    def get_export_queryset(self, request):
        # Archived products own no SKU; exporting them would re-create them on import.
        return super().get_export_queryset(request).filter(archived_at__isnull=True)

    def get_import_data_kwargs(self, **kwargs):
        # The confirm step imports for real: a row that fails then still rolls back every row.
        return {**super().get_import_data_kwargs(**kwargs), "rollback_on_validation_errors": True}

    def process_result(self, result, request):
        if result.has_errors() or result.has_validation_errors():
            failed = [f"row {row.number}: {_row_problems(row)}" for row in result.invalid_rows]
            failed += [f"row {number}: {errors[0].error}" for number, errors in result.row_errors()]
            failed += [str(error.error) for error in result.base_errors]
            self.message_user(request, "Nothing was imported. " + "; ".join(failed), messages.ERROR)
            return HttpResponseRedirect(reverse("admin:inventory_product_import"))
        return super().process_result(result, request)

    @admin.action(description="Archive selected products", permissions=["change"])
    def archive_products(self, request, queryset):
        for product in queryset.archived():
            self.message_user(request, f"{product.sku} is already archived.", messages.WARNING)
        report_per_row(
            self,
            request,
            queryset.live(),
            apply=lambda product: product_archive(product_id=product.pk),
            done="archived",
            describe_failure=lambda product, error: (
                f"{product.sku} was not archived: {error.detail}"
            ),
        )

    @admin.action(description="Restore selected archived products", permissions=["change"])
    def restore_products(self, request, queryset):
        for product in queryset.live():
            self.message_user(request, f"{product.sku} is not archived.", messages.WARNING)
        report_per_row(
            self,
            request,
            queryset.archived(),
            apply=lambda product: product_restore(product_id=product.pk),
            done="restored",
            describe_failure=lambda product, error: (
                f"{product.sku} (id {product.pk}) was not restored: {error.detail}"
            ),
        )

    def get_urls(self):
        return [
            path(
                "<path:object_id>/adjust-stock/",
                self.admin_site.admin_view(self.adjust_stock_view),
                name="inventory_product_adjust_stock",
            ),
            *super().get_urls(),
        ]

    def adjust_stock_view(self, request, object_id):
        """Changes a product's stock by an amount or to a count, writing one ledger row."""
        product = self.get_object(request, unquote(object_id))
        if product is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_change_permission(request, product):
            raise PermissionDenied
        form = StockAdjustForm(request.POST if request.method == "POST" else None)
        if form.is_valid():
            data = form.cleaned_data
            movement_kwargs = {
                "product_id": product.pk,
                "reason": data["reason"],
                "actor": request.user.get_username(),
                "note": data["note"],
            }
            try:
                if data["mode"] == StockAdjustForm.MODE_COUNT:
                    movement = stock_set(count=data["quantity"], **movement_kwargs)
                else:
                    movement = stock_adjust(delta=data["quantity"], **movement_kwargs)
            except InsufficientStock as error:
                form.add_error(
                    "quantity", f"Stock cannot go below zero: {error.available} on hand."
                )
            else:
                product.refresh_from_db()
                if movement is None:
                    self.message_user(
                        request,
                        f"{product.sku}: stock is already {product.stock}; nothing recorded.",
                        messages.WARNING,
                    )
                else:
                    self.message_user(
                        request,
                        f"{product.sku}: stock changed by {movement.delta:+d} "
                        f"({movement.get_reason_display()}), now {product.stock}.",
                        messages.SUCCESS,
                    )
                return HttpResponseRedirect(
                    reverse("admin:inventory_product_change", args=[product.pk])
                )
        context = {
            **self.admin_site.each_context(request),
            "title": f"Adjust stock: {product}",
            "opts": self.opts,
            "original": product,
            "form": form,
            "has_view_permission": self.has_view_permission(request, product),
        }
        return TemplateResponse(request, "admin/inventory/product/adjust_stock.html", context)


class ProductIdFilter(admin.SimpleListFilter):
    """Movements of one product (the product page links here); lists only the chosen product,
    so the filter stays small with a large catalog."""

    title = "product"
    parameter_name = "product"

    def lookups(self, request, model_admin):
        value = self.value()
        if value is None:
            return []
        product = Product.objects.filter(pk=value).first() if value.isdigit() else None
        return [(value, str(product) if product else f"no product {value}")]

    def queryset(self, request, queryset):
        value = self.value()
        if value is None:
            return queryset
        if not value.isdigit():
            return queryset.none()
        return queryset.filter(product_id=int(value))


@admin.register(StockMovement)
class StockMovementAdmin(ReadOnlyAdminMixin, StreamingCsvExportMixin, admin.ModelAdmin):
    """The ledger, read-only (rows are written only by the inventory and orders services), and
    exported as CSV."""

    list_display = ["created_at", "product", "delta", "reason", "order_id", "actor", "note"]
    list_filter = ["reason", ProductIdFilter]
    search_fields = ["product__sku", "product__name", "actor", "note"]
    list_select_related = ["product"]
    list_per_page = 100
    show_full_result_count = False
    resource_classes = [StockMovementResource]


def dashboard_sections(request, days) -> list[DashboardSection]:
    """Products to reorder (low or out of stock). One query."""
    if not request.user.has_perm("inventory.view_product"):
        return []
    low_stock = product_reorder_list().count()
    figure = Figure(
        metric="low_stock",
        label="Low stock",
        value=str(low_stock),
        url=changelist_url("inventory", "product", reorder="needed"),
        hint="at or below reorder level",
        needs_action=low_stock > 0,
    )
    return [DashboardSection(title="Stock", figures=(figure,))]


admin.site.register_dashboard_section(dashboard_sections, position=30)
